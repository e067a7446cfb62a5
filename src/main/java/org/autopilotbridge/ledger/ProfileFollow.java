package org.autopilotbridge.ledger;

import java.time.Instant;

/**
 * One line's registered device whose deployment profile is followed: read by {@code registeredId} until
 * {@code deadline}; {@code reads} so far, and the assignment status Intune showed at the last one (null before any).
 */
public record ProfileFollow(long id, long deviceId, String registeredId, String serialNumber, int reads, Instant deadline,
                            String seenStatus, String tenant) {
}
