package org.autopilotbridge.ledger;

/**
 * How following a line's deployment profile ended: the status, the profile's display name where one was read, and
 * why, for a line that needs action (null otherwise).
 */
public record FollowedProfile(ProfileStatus status, String name, String detail) {
}
