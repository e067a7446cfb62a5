package org.autopilotbridge.ledger;

import java.time.Instant;

/**
 * A received hash file as the ledger knows it. {@code unreadFrom} is the line from which it could not be read (null
 * when it was read to its end), with the reason in {@code statusDetail}; {@code tenant} is the name of the tenant
 * its devices are imported into.
 */
public record HashFile(long id, String name, String source, String sha256, FileStatus status, boolean dryRun,
                       String storedPath, String reportName, Instant receivedAt, Long unreadFrom, String statusDetail,
                       String tenant) {

    /** The source of files dropped into autopilot.inbox; other sources are vendor names. */
    public static final String DROP_FOLDER = "inbox";
}
