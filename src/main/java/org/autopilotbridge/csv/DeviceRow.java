package org.autopilotbridge.csv;

/**
 * The Autopilot fields of one data line, as found in the file (trimmed, blank as null). Validation decides
 * whether it may be sent; nothing here is trusted yet.
 */
public record DeviceRow(long line, String serialNumber, String hardwareHash, String productKey,
                        String groupTag, String assignedUser, String deviceName) {
}
