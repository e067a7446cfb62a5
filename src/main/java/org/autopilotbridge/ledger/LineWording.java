package org.autopilotbridge.ledger;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The details the ledger gives a line it decides on while recording it, for the results file: built here rather than
 * in SQL so that the wording is in one place beside {@code GraphVerdict} and {@code UpdateVerdict}, and tested.
 */
final class LineWording {

    private LineWording() {
    }

    /** A line repeating the serial number of an earlier line of its file. */
    static String duplicateOf(long firstLine) {
        return "serial number already on line " + firstLine;
    }

    /** A line whose device this service registered from an earlier file, named by the line it came from. */
    static String registeredFrom(String fileName, long fileId, long line, Instant receivedAt) {
        return "registered by this service from " + fileName + " (file #" + fileId + ", line " + line + ") on "
                + receivedAt.atZone(ZoneId.systemDefault()).toLocalDate();
    }
}
