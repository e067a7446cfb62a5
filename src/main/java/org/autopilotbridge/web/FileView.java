package org.autopilotbridge.web;

import java.time.Duration;
import java.time.Instant;

/**
 * One file as the page and the API show it. {@code id} is what addresses it: an upload's own id (from its answer
 * on), else the ledger's file number, which the logs name as "file #n" and which {@code fileNo} holds (null while
 * an upload waits in the inbox). {@code vendor} is set for a vendor's file; {@code reason} says why a file was
 * refused, or from which line on it could not be read ({@code unreadFrom}). {@code tenant} is the tenant whose folders
 * hold its reports (null while an upload waits in the inbox).
 */
record FileView(String id, Long fileNo, String name, Source source, String vendor, Instant received, Instant finished,
                FileState state, OutcomeCounts counts, String reason, Long unreadFrom, boolean dryRun, String reportName,
                String tenant) {

    /** Where a file came from. */
    enum Source {
        UPLOAD, INBOX, VENDOR;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** From receipt to finish, or until {@code now} while it is in progress. */
    Duration duration(Instant now) {
        return Duration.between(received, finished != null ? finished : now);
    }

    /** Whether its results file was written: it is finished, and was not refused whole. */
    boolean hasResults() {
        return state == FileState.FINISHED && reportName != null;
    }
}
