package org.autopilotbridge.ledger;

/** A device's final word: its outcome and, for Graph errors, the code and name Graph gave. */
public record DeviceOutcome(Outcome outcome, String errorCode, String errorName, String detail) {

    public static DeviceOutcome of(Outcome outcome, String detail) {
        return new DeviceOutcome(outcome, null, null, detail);
    }

    /** The same word from Graph, leading to another outcome. */
    public DeviceOutcome as(Outcome other) {
        return new DeviceOutcome(other, errorCode, errorName, detail);
    }
}
