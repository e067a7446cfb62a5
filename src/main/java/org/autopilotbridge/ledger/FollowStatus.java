package org.autopilotbridge.ledger;

/** Where following a line's deployment profile stands ({@code profile_follow.status}, stored by name). */
enum FollowStatus {
    /** The registered device is read again at next_read_at until its profile is assigned, fails or the wait ends. */
    FOLLOWING,
    /** Over: profile_status says how. */
    DONE
}
