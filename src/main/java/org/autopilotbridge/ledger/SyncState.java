package org.autopilotbridge.ledger;

import java.time.Instant;

/** The tenant's Autopilot sync: wanted since {@code requestedAt} (null: not wanted), last done, next try. */
public record SyncState(Instant requestedAt, Instant lastSyncAt, Instant nextTryAt, String lastResult) {
}
