package org.autopilotbridge.ledger;

/**
 * The update of one line's registered device, as the update stage works on it: the serial number to find it by, the
 * group tag, user and name the line wants (null: leave as it is), and, once found, the device and what it had then.
 * {@code lineDetail} is what the line said so far (why its import found the device registered). {@code importable}: the
 * line has a hash and was never sent in its own file, because this service registered the device from an earlier one.
 */
public record DeviceUpdate(long id, long deviceId, Kind kind, String serialNumber, String groupTag, String assignedUser,
                           String displayName, String registeredId, String foundGroupTag, String foundUser,
                           String foundDisplayName, int attempts, String lineDetail, boolean importable) {

    /** Why the line updates a registered device ({@code device_update.kind}, stored by name). */
    public enum Kind {
        /** Its import found the device registered already (806, or registered by this service from an earlier file). */
        REGISTERED,
        /** A line without a hash: it only changes a registered device. */
        UPDATE_ONLY,
        /** Its own import registered the device, which is named next: the line stays imported. */
        IMPORTED
    }

    public boolean updateOnly() {
        return kind == Kind.UPDATE_ONLY;
    }

    public boolean afterImport() {
        return kind == Kind.IMPORTED;
    }
}
