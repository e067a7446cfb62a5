package org.autopilotbridge.ledger;

/**
 * The update of one line's registered device, as the update stage works on it: the serial number to find it by, the
 * group tag and user the line wants (null: leave as it is), and, once found, the device and what it had then.
 * {@code lineDetail} is what the line said so far (why its import found the device registered). {@code importable}: the
 * line has a hash and was never sent in its own file, because this service registered the device from an earlier one.
 */
public record DeviceUpdate(long id, long deviceId, boolean updateOnly, String serialNumber, String groupTag,
                           String assignedUser, String registeredId, String foundGroupTag, String foundUser,
                           int attempts, String lineDetail, boolean importable) {
}
