package org.autopilotbridge.install;

/**
 * Start-up cannot go on: the message names the setting and what is wrong with it, the action says how to fix it.
 * Spring Boot's failure report shows both (see {@link StartupRefusedFailureAnalyzer}), never a stack trace.
 */
public class StartupRefusedException extends RuntimeException {

    private final String action;

    public StartupRefusedException(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
