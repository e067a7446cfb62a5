package org.autopilotbridge.ledger;

/** One line of a results file. */
public record ResultLine(long line, String serialNumber, Outcome outcome, String errorCode, String errorName,
                         String detail) {
}
