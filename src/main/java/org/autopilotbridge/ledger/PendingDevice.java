package org.autopilotbridge.ledger;

import org.autopilotbridge.ledger.HashSpool.HashSpan;

/**
 * A valid device on its way to Graph, as the submitter and tracker see it. Its hash stays in its file's
 * {@link HashSpool} ({@code hash} says where; null for a line without one) and is read only while a request body is
 * written: a batch held for the length of a Graph call then holds no hashes, which would otherwise outlive a young
 * collection and fill the old generation.
 */
public record PendingDevice(long id, long line, String serialNumber, String serialKey, HashSpan hash,
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
