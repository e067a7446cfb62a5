package org.autopilotbridge.ledger;

/**
 * A data line as it is first recorded: a valid device (outcome null, on its way to Graph) or a line refused
 * before sending (outcome and detail set).
 */
public record RecordedLine(long line, String serialNumber, String serialKey, String hardwareHash, String productKey,
                           String groupTag, String assignedUser, Outcome outcome, String detail) {
}
