package org.autopilotbridge.ops;

import static org.springframework.security.config.Customizer.withDefaults;

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
 * (the service listens on loopback only) everything is open to this machine.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    @Bean
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ConsoleProperties console, Environment environment) throws Exception {
        ConsoleLoginDefault.refuseOpenConsole(console, environment);
        // Hawtio reads the token from the XSRF-TOKEN cookie and sends it back as a header on every Jolokia POST.
        // Loaded on every request (no attribute name), so the cookie is there before the console's first POST.
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        csrfHandler.setCsrfRequestAttributeName(null);
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()).csrfTokenRequestHandler(csrfHandler));
        if (!console.isLogin()) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            return http.build();
        }
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .anyRequest().authenticated())
                .formLogin(withDefaults())
                .httpBasic(withDefaults());
        return http.build();
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
