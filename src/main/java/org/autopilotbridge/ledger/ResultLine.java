package org.autopilotbridge.ledger;

/**
 * One line of a results file; {@code registrationId} is the registered Autopilot device's id, where it is known, and
 * {@code profile} how following its deployment profile ended (null: it was not followed).
 */
public record ResultLine(long line, String serialNumber, Outcome outcome, String errorCode, String errorName,
                         String detail, String registrationId, FollowedProfile profile) {
}
