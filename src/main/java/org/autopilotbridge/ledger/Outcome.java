package org.autopilotbridge.ledger;

/** Where a data line ended; the lower-case label is what the results file says. */
public enum Outcome {
    IMPORTED("imported", false),
    /** A registered device's group tag, user or name changed as the line asked. */
    UPDATED("updated", false),
    /** An update-only line whose registered device already had its group tag and user. */
    UNCHANGED("unchanged", false),
    ALREADY_REGISTERED("already-registered", false),
    /** An update-only line for which Graph holds no registered device with that serial number. */
    NOT_REGISTERED("not-registered", true),
    OTHER_TENANT("other-tenant", true),
    FAILED("failed", true),
    REJECTED("rejected", true),
    DUPLICATE("duplicate", false),
    TIMEOUT("timeout", true),
    VALIDATED("validated", false),
    /**
     * Not final: the line's registered device is being looked up or changed ({@code device_update}). A file is
     * reported only once none of its lines is still updating.
     */
    UPDATING("updating", false);

    private final String label;
    private final boolean deadLettered;

    Outcome(String label, boolean deadLettered) {
        this.label = label;
        this.deadLettered = deadLettered;
    }

    public String label() {
        return label;
    }

    /** True when the line goes to the file's failed-rows file in dead-letter, to be fixed and dropped again. */
    public boolean deadLettered() {
        return deadLettered;
    }
}
