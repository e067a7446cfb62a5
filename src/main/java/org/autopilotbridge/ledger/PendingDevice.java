package org.autopilotbridge.ledger;

/** A valid device on its way to Graph, as the submitter and tracker see it. */
public record PendingDevice(long id, long line, String serialNumber, String serialKey, String hardwareHash,
                            String productKey, String groupTag, String assignedUser, String deviceName, String graphId,
                            boolean ownGroupTag) {

    /**
     * True if the line itself names a group tag, user or device name (not only a configured default) for its
     * registered device.
     */
    public boolean carriesOwnProperties() {
        return ownGroupTag || assignedUser != null || deviceName != null;
    }
}
