package org.autopilotbridge.ledger;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A file's lines as its reports need them, handed on one at a time as the database returns them: a file of a
 * million lines is written without holding them. PostgreSQL's driver reads a whole result into memory unless it runs
 * in a transaction with a fetch size; so each read is one read-only transaction, fetching {@link #FETCH_SIZE} rows
 * at a time (H2 takes the fetch size as a hint).
 */
@Component
public class ReportLines {

    static final int FETCH_SIZE = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final HashSpool hashes;

    public ReportLines(JdbcTemplate jdbc, PlatformTransactionManager transactions, HashSpool hashes) {
        this.hashes = hashes;
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * Every data line of a file, in line order, with how following its deployment profile ended. Ordered by file and
     * line as the index on them is: H2 then reads the lines in that order, where by line alone it sorted the whole file
     * in a temporary result on disk first.
     */
    public void forEachResultLine(long fileId, Consumer<ResultLine> each) {
        LineOutcomes.RegistrationIds kept = new LineOutcomes.RegistrationIds(jdbc);
        query("SELECT d.line_no, d.serial_number, " + LineOutcomes.OUTCOME + """
                , d.error_code, d.error_name, d.detail, d.registration_id,
                       p.profile_status, p.deployment_profile, p.detail, d.outcome, d.id, d.batch_id
                FROM device d""" + LineOutcomes.BATCH + """
                 LEFT JOIN profile_follow p ON p.device_id = d.id
                WHERE d.file_id = ? ORDER BY d.file_id, d.line_no""", rs -> each.accept(new ResultLine(rs.getLong(1),
                rs.getString(2), Outcome.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6),
                kept.of(rs.getString(11), rs.getString(7), rs.getLong(12), rs.getObject(13, Long.class)),
                rs.getString(8) == null ? null : new FollowedProfile(ProfileStatus.valueOf(rs.getString(8)), rs.getString(9),
                rs.getString(10)))), fileId);
    }

    /**
     * The devices of a dry-run file that would have been imported (not its update-only lines), in line order, each
     * with its hash. In device_pending's order, as results are in device_line's: a dry run puts no line in a batch, so
     * its VALIDATED lines are in line order there.
     */
    public void forEachValidatedDevice(long fileId, BiConsumer<PendingDevice, byte[]> each) {
        try (HashSpool.Reader spool = hashes.reader(fileId)) {
            query(DeviceLedger.DEVICE_COLUMNS + "WHERE d.file_id = ? AND d.outcome = ? AND d.hash_at IS NOT NULL "
                    + "ORDER BY d.file_id, d.outcome, d.batch_id, d.line_no",
                    rs -> {
                        PendingDevice device = DeviceLedger.PENDING_DEVICE.mapRow(rs, 0);
                        each.accept(device, spool.read(device.hash()));
                    }, fileId, Outcome.VALIDATED.name());
        }
    }

    private void query(String sql, RowCallbackHandler row, Object... arguments) {
        readOnly.executeWithoutResult(status -> jdbc.query(sql, row, arguments));
    }
}
