package org.autopilotbridge.ledger;

/**
 * What one poll learned about a device: the id Graph gave its record, its import status, and its outcome once it
 * is final (null while it is not).
 */
public record PolledDevice(long id, String graphId, String importStatus, DeviceOutcome outcome) {
}
