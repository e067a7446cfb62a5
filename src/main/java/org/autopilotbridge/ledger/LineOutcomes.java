package org.autopilotbridge.ledger;

import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a line's outcome is: on its device row, or, for a device the poll that settled its batch found imported with
 * nothing more to record, on the batch ({@link BatchLedger#batchSettled}): {@code import_batch.imported_unwritten}
 * counts such devices and {@code registration_ids} holds their registration ids, and each of them is a row of the
 * batch without an outcome of its own. A settled batch has no other row without one, so counts add the batches' number
 * and lines read it through {@link #BATCH} and {@link #OUTCOME}. What a count needs is read per batch, never per row.
 */
public final class LineOutcomes {

    /** Joined to a device row {@code d}: its batch {@code b}, if it has one. */
    public static final String BATCH = " LEFT JOIN import_batch b ON b.id = d.batch_id";

    /** The outcome of the line of device row {@code d}, with {@link #BATCH} joined; null while it is on its way. */
    public static final String OUTCOME = "COALESCE(d.outcome, CASE WHEN b.imported_unwritten > 0 THEN '" + Outcome.IMPORTED.name() + "' END)";

    /** Whether device row {@code e}, without an outcome of its own, is one its settled batch keeps as imported. */
    static final String IMPORTED_BY_BATCH = "e.outcome IS NULL AND EXISTS (SELECT 1 FROM import_batch eb WHERE eb.id = e.batch_id "
            + "AND eb.imported_unwritten > 0)";

    private LineOutcomes() {
    }

    /** How many lines of the file its settled batches keep as imported. */
    static int importedByBatches(JdbcTemplate jdbc, long fileId) {
        return jdbc.queryForObject("SELECT COALESCE(SUM(imported_unwritten), 0) FROM import_batch WHERE file_id = ?",
                Integer.class, fileId);
    }

    /**
     * The registration ids its batches keep, by device, for the lines a reader is about to read; read one batch at a
     * time as the lines reach it (a file's lines are batched in line order).
     */
    public static final class RegistrationIds {

        private final JdbcTemplate jdbc;
        private long batchId = -1;
        private Map<Long, String> byDevice = new HashMap<>();

        public RegistrationIds(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /**
         * A line's registration id: its row's, or, for a line without an outcome of its own ({@code rowOutcome} null)
         * in a batch ({@code batch} not null), the one its batch keeps, if any.
         */
        public String of(String rowOutcome, String rowRegistrationId, long deviceId, Long batch) {
            if (rowOutcome != null || batch == null) {
                return rowRegistrationId;
            }
            if (batch != batchId) {
                batchId = batch;
                byDevice = GraphAnswer.kept(jdbc, GraphAnswer.REGISTRATION_IDS, batch);
            }
            return byDevice.get(deviceId);
        }
    }
}
