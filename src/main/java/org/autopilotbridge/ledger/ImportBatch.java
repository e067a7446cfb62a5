package org.autopilotbridge.ledger;

import java.time.Instant;

/**
 * Up to batch-size devices of one file, sent to Graph's import action under one importId; once sent, followed until
 * {@code pollDeadline}, next at {@code nextPollAt} (null before).
 */
public record ImportBatch(long id, long fileId, String importId, BatchStatus status, Instant pollDeadline, Instant nextPollAt,
                          String tenant) {
}
