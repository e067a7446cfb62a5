package org.autopilotbridge.ledger;

/**
 * Where an import batch stands ({@code import_batch.status}, stored by name): FORMING → READY → SENDING → TRACKING →
 * CLEANING (when Graph's imported records are deleted) → DONE.
 */
public enum BatchStatus {
    /** Being filled by ingest as the file's lines are recorded; never sent while it is. */
    FORMING,
    /** Formed, full or the file's last, and waiting to be sent. */
    READY,
    /** Claimed to be sent; Graph's answer is not recorded yet, so a batch found here after a crash is adopted by importId. */
    SENDING,
    /** Sent; its devices are polled until each is final. */
    TRACKING,
    /** Every device is final and reported; Graph's imported records are still to be deleted. */
    CLEANING,
    /** Over. */
    DONE
}
