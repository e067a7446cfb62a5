package org.autopilotbridge.ops;

import static org.springframework.security.config.Customizer.withDefaults;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

/**
 * Who may use the HTTP endpoints. With {@code autopilot.console.login} (the default) every endpoint but health needs
 * the one configured account, by the login form (the console) or HTTP Basic (Prometheus, scripts); health and its
 * liveness and readiness groups stay open so a load balancer or kubelet can probe without credentials, but they show
 * their details (tenant, folders, hosts, file names) only to that account (management.endpoint.health.roles). With
 * no account configured yet everything but health answers 401 and says how to set one. Without a login (loopback
 * only) everything, health's details included, is open to this machine under the name "loopback".
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurity.class);
    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.\\d{1,3}){3}");
    /** Holds admin, the role health shows its details to (management.endpoint.health.roles), as the account does. */
    private static final Authentication LOOPBACK = UsernamePasswordAuthenticationToken.authenticated("loopback", null,
            AuthorityUtils.createAuthorityList("ROLE_admin", "ROLE_viewer"));

    @Bean
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ConsoleProperties console, Environment environment) throws Exception {
        console.refuseOpenConsole(environment);
        // Hawtio reads the token from the XSRF-TOKEN cookie and sends it back as a header on every Jolokia POST.
        // Loaded on every request (no attribute name), so the cookie is there before the console's first POST.
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        csrfHandler.setCsrfRequestAttributeName(null);
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()).csrfTokenRequestHandler(csrfHandler)
                .ignoringRequestMatchers(ConsoleSecurity::scriptCallingTheApi));
        if (!console.isLogin()) {
            // Without a login, the name a request was addressed to is what tells this machine's browser pages from a
            // page of another site whose name was pointed at 127.0.0.1 (DNS rebinding), which the browser treats as
            // the same origin: only loopback names are answered.
            http.addFilterBefore(ConsoleSecurity::asLoopbackUser, AnonymousAuthenticationFilter.class)
                    .authorizeHttpRequests(requests -> requests.requestMatchers(ConsoleSecurity::addressedToLoopback).permitAll()
                    .anyRequest().denyAll());
            return http.build();
        }
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                .anyRequest().authenticated());
        if (console.isClosed()) {
            LOG.warn("The web console, Jolokia, Prometheus and /actuator/camelroutes answer 401 (health its status alone): "
                    + "no console login is set. To open them, {}.", ConsoleProperties.HOW_TO_LOG_IN);
            // No login form that nobody could pass: the answer itself says what to do.
            http.exceptionHandling(errors -> errors.authenticationEntryPoint(ConsoleSecurity::noAccountYet));
            return http.build();
        }
        http.formLogin(withDefaults()).httpBasic(withDefaults());
        return http.build();
    }

    private static void noAccountYet(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("No console login is set. To open the console, " + ConsoleProperties.HOW_TO_LOG_IN + ".");
    }

    /**
     * A script's call of the files API (docs/web.md): HTTP Basic credentials, and neither of the headers a browser puts
     * on what a page sends (Origin on every cross-site POST, Sec-Fetch-Mode on every request), so it is no page of
     * another site riding on a login the browser keeps. It needs no CSRF token, which a script would have to fetch first.
     */
    private static boolean scriptCallingTheApi(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return request.getRequestURI().startsWith("/api/") && authorization != null
                && authorization.regionMatches(true, 0, "Basic ", 0, "Basic ".length())
                && request.getHeader(HttpHeaders.ORIGIN) == null && request.getHeader("Sec-Fetch-Mode") == null;
    }

    /** A request addressed to loopback, without a login, runs as "loopback": health shows it its details. */
    private static void asLoopbackUser(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (addressedToLoopback((HttpServletRequest) request)) {
            SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
            SecurityContext context = holder.createEmptyContext();
            context.setAuthentication(LOOPBACK);
            holder.setContext(context);
        }
        chain.doFilter(request, response);
    }

    /** Whether the request's Host names this machine's loopback: localhost, 127.x.x.x or [::1]. */
    private static boolean addressedToLoopback(HttpServletRequest request) {
        String host = request.getServerName().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || LOOPBACK_IPV4.matcher(host).matches() || host.equals("[::1]") || host.equals("::1");
    }

    /** The one account; none without a login or before one is set, which also keeps Spring Boot from generating (and logging) a password. */
    @Bean
    UserDetailsService consoleUsers(ConsoleProperties console) {
        if (!console.isLogin() || console.isClosed()) {
            return new InMemoryUserDetailsManager();
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(console.getUser())
                .password(encoder.encode(console.getPassword())).roles("admin", "viewer").build());
    }
}
