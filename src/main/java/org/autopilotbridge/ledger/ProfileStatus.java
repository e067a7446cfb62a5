package org.autopilotbridge.ledger;

/**
 * How following a line's deployment profile ended ({@code profile_follow.profile_status}, stored by name); the
 * lower-case label is what the results file's Profile Status column says.
 */
public enum ProfileStatus {
    /** Intune shows the profile assigned (in sync with the Autopilot service or not). */
    ASSIGNED("assigned"),
    /** The wait ended before any assignment. */
    NOT_ASSIGNED("not-assigned"),
    /** The wait ended while Intune said the assignment was pending. */
    PENDING("pending"),
    /** Intune could not assign the profile; the line's detail says why and what to do. */
    FAILED("failed"),
    /** The registered device was deleted in Intune while it was followed. */
    NOT_REGISTERED("not-registered");

    private final String label;

    ProfileStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
