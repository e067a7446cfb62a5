package org.autopilotbridge.ledger;

/**
 * Where a received file stands ({@code hash_file.status}, stored by name): RECEIVING → RECORDED → FINISHED, or
 * REFUSED; PURGING once it is old enough to leave the ledger. The names are data: rows written by earlier versions,
 * the migrations and the metrics (files by status) use them, so a status is never renamed.
 */
public enum FileStatus {
    /** Being read: its lines are recorded chunk by chunk, under a lease while its reader lives. */
    RECEIVING,
    /** Every line is recorded: its devices are sent and followed, and the file waits in processing. */
    RECORDED,
    /** Its results are written and the file is in done (or dead-letter). */
    FINISHED,
    /** Not a hash file, or not readable at all: it went to dead-letter with the reason. */
    REFUSED,
    /** Older than autopilot.retention and being removed from the ledger ({@link LedgerRetention}). */
    PURGING;

    /** The status a {@code hash_file.status} column holds; one the service does not know is a broken ledger. */
    public static FileStatus of(String stored) {
        try {
            return valueOf(stored);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("no file status " + stored + " in hash_file", e);
        }
    }
}
