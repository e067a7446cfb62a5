package org.autopilotbridge.ops;

import static org.springframework.security.config.Customizer.withDefaults;

import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

/**
 * Who may use the HTTP endpoints. With {@code autopilot.console.login} every endpoint but health needs the one
 * configured account, by the login form (the console) or HTTP Basic (Prometheus, scripts); health and its
 * liveness and readiness groups stay open so a load balancer or kubelet can probe without credentials. Without it
 * (the service listens on loopback only) everything is open to this machine, under a loopback name.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.\\d{1,3}){3}");

    @Bean
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ConsoleProperties console, Environment environment) throws Exception {
        ConsoleLoginDefault.refuseOpenConsole(console, environment);
        // Hawtio reads the token from the XSRF-TOKEN cookie and sends it back as a header on every Jolokia POST.
        // Loaded on every request (no attribute name), so the cookie is there before the console's first POST.
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        csrfHandler.setCsrfRequestAttributeName(null);
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()).csrfTokenRequestHandler(csrfHandler));
        if (!console.isLogin()) {
            // Without a login, the name a request was addressed to is what tells this machine's browser pages from a
            // page of another site whose name was pointed at 127.0.0.1 (DNS rebinding), which the browser treats as
            // the same origin: only loopback names are answered.
            http.authorizeHttpRequests(requests -> requests.requestMatchers(ConsoleSecurity::addressedToLoopback).permitAll()
                    .anyRequest().denyAll());
            return http.build();
        }
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .anyRequest().authenticated())
                .formLogin(withDefaults())
                .httpBasic(withDefaults());
        return http.build();
    }

    /** Whether the request's Host names this machine's loopback: localhost, 127.x.x.x or [::1]. */
    private static boolean addressedToLoopback(HttpServletRequest request) {
        String host = request.getServerName().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || LOOPBACK_IPV4.matcher(host).matches() || host.equals("[::1]") || host.equals("::1");
    }

    /** The one account; without a login none, which also keeps Spring Boot from generating (and logging) a password. */
    @Bean
    UserDetailsService consoleUsers(ConsoleProperties console) {
        if (!console.isLogin()) {
            return new InMemoryUserDetailsManager();
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(console.getUser())
                .password(encoder.encode(console.getPassword())).roles("admin", "viewer").build());
    }
}
