package org.autopilotbridge.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides a chunk's valid lines against the rows their serial numbers already have in the tenant, before the chunk is
 * written: a line repeating a serial number of an earlier line of its file (earlier chunks or this one) is its
 * duplicate; an update-only line is UPDATING; a line whose device this service imported from another file is already
 * registered, or UPDATING when {@code updateExisting} and it carries its own group tag, user or name.
 */
final class EarlierLines {

    /** A row of the tenant with one of the chunk's serial numbers: of this file, or imported from another one. */
    record Row(String serialKey, long id, long fileId, long line, String fileName, Instant receivedAt) {
    }

    /** The first line of this file with each serial number. */
    private final Map<String, Long> firstLine = new HashMap<>();
    /** The latest import (highest id) of each serial number from another file. */
    private final Map<String, Row> imported = new HashMap<>();

    EarlierLines(long fileId, List<Row> rows) {
        for (Row row : rows) {
            if (row.fileId() == fileId) {
                firstLine.merge(row.serialKey(), row.line(), Math::min);
            } else {
                imported.merge(row.serialKey(), row, (a, b) -> a.id() > b.id() ? a : b);
            }
        }
    }

    /** The chunk's lines, in order, each with the outcome and detail it is recorded with. */
    List<RecordedLine> decide(List<RecordedLine> lines, boolean dryRun, boolean updateExisting) {
        List<RecordedLine> decided = new ArrayList<>(lines.size());
        for (RecordedLine line : lines) {
            decided.add(line.undecided() ? decide(line, dryRun, updateExisting) : line);
        }
        return decided;
    }

    private RecordedLine decide(RecordedLine line, boolean dryRun, boolean updateExisting) {
        Long first = firstLine.putIfAbsent(line.serialKey(), line.line());
        if (first != null) {
            return line.decided(Outcome.DUPLICATE, LineWording.duplicateOf(first));
        }
        if (dryRun) {
            return line;
        }
        if (line.updateOnly()) {
            return line.decided(Outcome.UPDATING, null);
        }
        Row from = imported.get(line.serialKey());
        if (from == null) {
            return line;
        }
        boolean ownProperties = line.ownGroupTag() || line.assignedUser() != null || line.deviceName() != null;
        return line.decided(updateExisting && ownProperties ? Outcome.UPDATING : Outcome.ALREADY_REGISTERED,
                LineWording.registeredFrom(from.fileName(), from.fileId(), from.line(), from.receivedAt()));
    }
}
