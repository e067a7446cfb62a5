package org.autopilotbridge.ledger;

/**
 * A data line as it is first recorded: a valid device (outcome null, on its way to Graph) or a line refused
 * before sending (outcome and detail set). A valid line without a hardware hash is an update-only line: it names a
 * registered device to re-tag, re-assign or name. {@code deviceName} is the name the line gives its registered device
 * (null: none). {@code ownGroupTag} says whether the group tag is the line's own (a column of the file) rather than a
 * configured default.
 */
public record RecordedLine(long line, String serialNumber, String serialKey, String hardwareHash, String productKey,
                           String groupTag, String assignedUser, String deviceName, Outcome outcome, String detail,
                           boolean ownGroupTag) {

    /** A valid line that updates a registered device instead of importing one. */
    public boolean updateOnly() {
        return outcome == null && hardwareHash == null;
    }

    /** A valid line, still to be decided against the earlier lines of its serial number ({@link EarlierLines}). */
    boolean undecided() {
        return outcome == null && serialKey != null;
    }

    /** The same line, decided while it is recorded (a duplicate, already registered, or UPDATING). */
    RecordedLine decided(Outcome decided, String reason) {
        return new RecordedLine(line, serialNumber, serialKey, hardwareHash, productKey, groupTag, assignedUser, deviceName,
                decided, reason, ownGroupTag);
    }

    /** The same line, refused with {@code reason}. */
    public RecordedLine rejected(String reason) {
        return new RecordedLine(line, serialNumber, null, null, null, null, null, null, Outcome.REJECTED, reason, false);
    }
}
