package org.autopilotbridge.ledger;

import java.time.Instant;

/** Up to batch-size devices of one file, sent to Graph's import action under one importId. */
public record ImportBatch(long id, long fileId, String importId, String status, Instant pollDeadline) {

    /** Being filled by ingest as the file's lines are recorded; never sent while it is. */
    public static final String FORMING = "FORMING";
    /** Formed, full or the file's last, and waiting to be sent. */
    public static final String READY = "READY";
    public static final String SENDING = "SENDING";
    public static final String TRACKING = "TRACKING";
    /** Every device is final and reported; Graph's imported records are still to be deleted. */
    public static final String CLEANING = "CLEANING";
    public static final String DONE = "DONE";
}
