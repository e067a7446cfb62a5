package org.autopilotbridge.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.autopilotbridge.install.StartupRefusedException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.env.Environment;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * The web console (Hawtio, Jolokia) and the other HTTP endpoints: whether they need a login, and the one account
 * that may log in. Problems are reported without the rejected value, since the password is one of them.
 */
@Validated
@ConfigurationProperties(prefix = "autopilot.console")
public class ConsoleProperties implements Validator {

    static final int PASSWORD_MIN = 12;
    /** How an admin opens a console that has no account yet: said by start-up, {@code --check} and the 401 itself. */
    public static final String HOW_TO_LOG_IN = "set autopilot.console.user and AUTOPILOT_CONSOLE_PASSWORD (at least "
            + PASSWORD_MIN + " characters) in the environment and restart; or, with server.address on loopback, "
            + "autopilot.console.login=false for no login from this machine";

    /**
     * Whether every endpoint but health, and health's details, need the login (until user and password are set, all
     * but health answer 401); false opens them to requests addressed to this machine, and is refused unless
     * server.address is a loopback address.
     */
    // On by default, as Hawtio's own default is: a reverse proxy on this machine makes every request look local, so
    // neither the listening address nor the Host header proves a caller is.
    private boolean login = true;

    /** The one account that may log in; set it in the environment (AUTOPILOT_CONSOLE_USER). */
    private String user;

    /** Its password, at least 12 characters; set it in the environment (AUTOPILOT_CONSOLE_PASSWORD), never in a file. */
    private String password;

    @Override
    public boolean supports(Class<?> type) {
        return ConsoleProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        ConsoleProperties p = (ConsoleProperties) target;
        // Neither set is a console not set up yet (closed); one without the other is a mistake worth stopping for.
        if (!p.login || !p.hasUser() && (p.password == null || p.password.isEmpty())) {
            return;
        }
        if (!p.hasUser()) {
            errors.reject("required", "autopilot.console.user is required with autopilot.console.password");
        }
        if (p.password == null || p.password.length() < PASSWORD_MIN) {
            errors.reject("password", "autopilot.console.password must be set, at least " + PASSWORD_MIN
                    + " characters (AUTOPILOT_CONSOLE_PASSWORD), for autopilot.console.user");
        }
    }

    /** Whether the login is on but nobody can log in yet: every endpoint but health answers 401. */
    public boolean isClosed() {
        return login && !hasUser();
    }

    private boolean hasUser() {
        return user != null && !user.isBlank();
    }

    /**
     * Refuses a login switched off while other machines can connect: the one console rule that binding cannot see,
     * since it depends on {@code server.address}. Start-up and {@code --check} both ask it.
     */
    public void refuseOpenConsole(Environment environment) {
        String address = environment.getProperty("server.address");
        if (!login && exposed(address)) {
            throw new StartupRefusedException("autopilot.console.login=false is refused while server.address ("
                    + (address == null || address.isBlank() ? "every interface" : address) + ") lets other machines connect",
                    "Set autopilot.console.user and AUTOPILOT_CONSOLE_PASSWORD instead, or set server.address to a "
                            + "loopback address such as 127.0.0.1.");
        }
    }

    /** Whether a server bound to {@code address} can be reached from other machines (empty: every interface). */
    private static boolean exposed(String address) {
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

    public boolean isLogin() { return login; }
    public void setLogin(boolean login) { this.login = login; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
}
