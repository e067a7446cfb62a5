package org.autopilotbridge.ledger;

/** One line of a results file; {@code registrationId} is the registered Autopilot device's id, where it is known. */
public record ResultLine(long line, String serialNumber, Outcome outcome, String errorCode, String errorName,
                         String detail, String registrationId) {
}
