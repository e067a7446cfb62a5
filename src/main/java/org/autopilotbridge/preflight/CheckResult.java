package org.autopilotbridge.preflight;

/**
 * One check's outcome, as one line for an admin: OK with what was found, FAIL with the reason and the fix, or SKIP
 * when it could not be run (a check it depends on failed) or does not apply.
 */
record CheckResult(String name, Status status, String detail, String fix) {

    public enum Status { OK, FAIL, SKIP }

    public static CheckResult ok(String name, String detail) {
        return new CheckResult(name, Status.OK, detail, null);
    }

    public static CheckResult fail(String name, String detail, String fix) {
        return new CheckResult(name, Status.FAIL, detail, fix);
    }

    public static CheckResult skip(String name, String detail) {
        return new CheckResult(name, Status.SKIP, detail, null);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    /** What the check found, with the fix when it failed: the text of the line without the status. */
    public String text() {
        // Entra ID's descriptions end with a full stop already.
        return fix == null ? detail : detail.replaceFirst("\\.$", "") + ". Fix: " + fix;
    }

    /** One line, whatever the text: a YAML parser's message, for one, spans several. */
    public String line() {
        return String.format("%-5s %s: %s", status, name, text().strip().replaceAll("\\s*\\R\\s*", " "));
    }
}
