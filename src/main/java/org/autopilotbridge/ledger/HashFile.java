package org.autopilotbridge.ledger;

import java.time.Instant;

/**
 * A received hash file as the ledger knows it. {@code unreadFrom} is the line from which it could not be read (null
 * when it was read to its end), with the reason in {@code statusDetail}.
 */
public record HashFile(long id, String name, String source, String sha256, String status, boolean dryRun,
                       String storedPath, String reportName, Instant receivedAt, Long unreadFrom, String statusDetail) {

    /** The source of files dropped into autopilot.inbox; other sources are vendor names. */
    public static final String DROP_FOLDER = "inbox";

    public static final String RECEIVING = "RECEIVING";
    public static final String RECORDED = "RECORDED";
    public static final String FINISHED = "FINISHED";
    public static final String REFUSED = "REFUSED";
    /** Older than autopilot.retention and being removed from the ledger ({@link LedgerRetention}). */
    public static final String PURGING = "PURGING";
}
