package org.autopilotbridge.ledger;

/**
 * What one poll learned about a device: the id Graph gave its record, its import status, the registered device a
 * completed import made ({@code deviceRegistrationId}, null until then), and its outcome once it is final (null while
 * it is not).
 */
public record PolledDevice(long id, String graphId, String importStatus, String registrationId, DeviceOutcome outcome) {

    /** True if Graph completed the device's import: an UPDATING device then has its new registered device named. */
    boolean imported() {
        return "complete".equalsIgnoreCase(importStatus);
    }
}
