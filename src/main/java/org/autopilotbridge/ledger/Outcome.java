package org.autopilotbridge.ledger;

/** Where a data line ended; the lower-case label is what the results file says. */
public enum Outcome {
    IMPORTED("imported", false),
    ALREADY_REGISTERED("already-registered", false),
    OTHER_TENANT("other-tenant", true),
    FAILED("failed", true),
    REJECTED("rejected", true),
    DUPLICATE("duplicate", false),
    TIMEOUT("timeout", true),
    VALIDATED("validated", false);

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
