package org.autopilotbridge.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.autopilotbridge.install.StartupRefusedException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Fills in {@code autopilot.console.login} when it is not set: true exactly when {@code server.address} is not a
 * loopback address (an empty address listens on every interface). So {@link ConsoleProperties} binds, and validates,
 * the login that is in force, and an admin who opens the port cannot forget it.
 */
public class ConsoleLoginDefault implements EnvironmentPostProcessor {

    static final String LOGIN = "autopilot.console.login";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String login = environment.getProperty(LOGIN);
        if (login == null || login.isBlank()) {
            boolean exposed = exposed(environment.getProperty("server.address"));
            environment.getPropertySources().addFirst(new MapPropertySource("autopilotConsoleLogin", Map.of(LOGIN, exposed)));
        }
    }

    /**
     * Refuses a login switched off explicitly while other machines can connect: the one console rule that binding
     * {@link ConsoleProperties} cannot see, since it depends on {@code server.address}. Start-up and {@code --check}
     * both ask it.
     */
    public static void refuseOpenConsole(ConsoleProperties console, Environment environment) {
        String address = environment.getProperty("server.address");
        if (!console.isLogin() && exposed(address)) {
            throw new StartupRefusedException(LOGIN + "=false is refused while server.address ("
                    + (address == null || address.isBlank() ? "every interface" : address) + ") lets other machines connect",
                    "Set autopilot.console.user and AUTOPILOT_CONSOLE_PASSWORD instead, or set server.address to a "
                            + "loopback address such as 127.0.0.1.");
        }
    }

    /** Whether a server bound to {@code address} can be reached from other machines. */
    static boolean exposed(String address) {
        if (address == null || address.isBlank()) {
            return true;
        }
        try {
            return !InetAddress.getByName(address.trim()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            // Spring Boot cannot bind it either and stops start-up with its own message.
            return true;
        }
    }
}
