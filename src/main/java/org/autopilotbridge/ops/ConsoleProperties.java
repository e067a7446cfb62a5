package org.autopilotbridge.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
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

    /**
     * Whether everything but health needs a login. Unset, {@link ConsoleLoginDefault} decides before binding: a login
     * exactly when {@code server.address} lets other machines connect.
     */
    private boolean login;

    private String user;

    /** Set it through the environment (AUTOPILOT_CONSOLE_PASSWORD), never in a file. */
    private String password;

    @Override
    public boolean supports(Class<?> type) {
        return ConsoleProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        ConsoleProperties p = (ConsoleProperties) target;
        if (!p.login) {
            return;
        }
        if (p.user == null || p.user.isBlank()) {
            errors.reject("required", "autopilot.console.user is required: the console needs a login (autopilot.console.login, "
                    + "on whenever server.address is not a loopback address)");
        }
        if (p.password == null || p.password.length() < PASSWORD_MIN) {
            errors.reject("password", "autopilot.console.password must be set, at least " + PASSWORD_MIN
                    + " characters (AUTOPILOT_CONSOLE_PASSWORD): the console needs a login");
        }
    }

    public boolean isLogin() { return login; }
    public void setLogin(boolean login) { this.login = login; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
}
