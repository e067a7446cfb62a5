package org.autopilotbridge.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.autopilotbridge.ledger.HashSpool.HashSpan;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every data line of every file: its device, where its hash is until it is sent, its Graph record and its outcome (on
 * its batch instead, for a device its batch's settling poll found imported: {@link LineOutcomes}).
 */
@Component
public class DeviceLedger {

    /** A device as recorded, with where its hash is (a hash is only read to be sent, or written out for a dry run). */
    static final RowMapper<PendingDevice> PENDING_DEVICE = (rs, n) -> pendingDevice(rs);

    /** Devices with where their hashes are. */
    static final String DEVICE_COLUMNS = "SELECT d.id, d.line_no, d.serial_number, d.serial_key, d.product_key, "
            + "d.group_tag, d.assigned_user, d.device_name, d.graph_id, d.own_group_tag, d.hash_at, d.hash_length FROM device d ";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final UpdateLedger updates;
    private final BatchLedger batches;
    private final ProfileLedger profiles;
    private final HashSpool hashes;

    public DeviceLedger(JdbcTemplate jdbc, UpdateLedger updates, BatchLedger batches, ProfileLedger profiles, HashSpool hashes) {
        this.jdbc = jdbc;
        this.hashes = hashes;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.updates = updates;
        this.batches = batches;
        this.profiles = profiles;
    }

    /**
     * Records a chunk of a file's lines, in one transaction with what decides whether each may be sent: a line
     * repeating a serial number of an earlier line of the file is its duplicate, and a device this service registered
     * from an earlier file is already registered (it is not sent again). Lines that ask for a registered device to be
     * changed are UPDATING, with their update opened in the same transaction: update-only lines, and, with
     * {@code updateExisting}, lines already registered that carry their own group tag, user or device name. Once committed, the
     * chunk's valid lines can be sent while the rest of the file is still being read: each is recorded in its batch
     * ({@link BatchLedger#formBatches}, unless in a dry run), which the update stage may send a line back to import
     * without, as a line never sent. Each row is written once, decided: the earlier rows of its serial numbers are read
     * before the chunk is inserted, in one query. One transaction per chunk, not per line: every commit is flushed to disk.
     */
    @Transactional
    public RecordedChunk recordLines(long fileId, List<RecordedLine> lines, boolean dryRun, boolean updateExisting, int batchSize) {
        if (lines.isEmpty()) {
            return new RecordedChunk(false, false);
        }
        String tenant = jdbc.queryForObject("SELECT tenant FROM hash_file WHERE id = ?", String.class, fileId);
        List<RecordedLine> decided = new EarlierLines(fileId, earlierRows(fileId, tenant, lines)).decide(lines, dryRun, updateExisting);
        List<RecordedLine> importable = dryRun ? List.of()
                : decided.stream().filter(l -> l.outcome() == null && l.hardwareHash() != null).toList();
        BatchLedger.Formed formed = batches.formBatches(fileId, importable.size(), batchSize);
        long[] batchOf = formed.batchOf();
        Map<Long, Long> batchByLine = new HashMap<>();
        for (int i = 0; i < batchOf.length; i++) {
            batchByLine.put(importable.get(i).line(), batchOf[i]);
        }
        // On disk before the rows that point at them are committed.
        HashSpan[] spans = hashes.append(fileId, decided.stream().map(RecordedLine::hardwareHash).toArray(String[]::new));
        jdbc.batchUpdate("""
                INSERT INTO device (file_id, line_no, serial_number, serial_key, product_key, group_tag, assigned_user,
                                    device_name, outcome, detail, own_group_tag, batch_id, tenant, hash_at, hash_length)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                setDeviceRow(ps, fileId, decided.get(i), batchByLine.get(decided.get(i).line()), tenant, spans[i]);
            }

            @Override
            public int getBatchSize() {
                return decided.size();
            }
        });
        boolean updating = decided.stream().anyMatch(l -> l.outcome() == Outcome.UPDATING);
        if (updating) {
            updates.openForLines(fileId, lines.get(0).line(), lines.get(lines.size() - 1).line());
        }
        return new RecordedChunk(formed.filled(), updating);
    }

    /**
     * The rows a chunk's serial numbers already have in the tenant: this file's (an earlier line makes a line its
     * duplicate) and imported ones of other files (the device is registered). Through the tenant's serial index, one
     * probe per serial number: the few rows any tenant ever had of one serial number.
     */
    private List<EarlierLines.Row> earlierRows(long fileId, String tenant, List<RecordedLine> lines) {
        List<Object[]> keys = lines.stream().filter(RecordedLine::undecided)
                .map(RecordedLine::serialKey).distinct().map(key -> new Object[] {key}).toList();
        if (keys.isEmpty()) {
            return List.of();
        }
        // Joined from a list of values, not "serial_key IN (...)": H2 then probes the index once for each serial
        // number, where with IN it reads every row of the tenant.
        return named.query("""
                SELECT e.serial_key, e.id, e.file_id, e.line_no, f.name, f.received_at FROM (VALUES :keys) k (serial_key)
                JOIN device e ON e.tenant = :tenant AND e.serial_key = k.serial_key
                JOIN hash_file f ON f.id = e.file_id
                WHERE e.file_id = :file OR e.outcome = :imported OR\s""" + LineOutcomes.IMPORTED_BY_BATCH,
                new MapSqlParameterSource("tenant", tenant).addValue("keys", keys).addValue("file", fileId)
                        .addValue("imported", Outcome.IMPORTED.name()),
                (rs, n) -> new EarlierLines.Row(rs.getString("serial_key"), rs.getLong("id"), rs.getLong("file_id"),
                        rs.getLong("line_no"), rs.getString("name"), Sql.instant(rs, "received_at")));
    }

    /** The last line of the file recorded so far (0 when none is). */
    public long lastLine(long fileId) {
        Long last = jdbc.queryForObject("SELECT MAX(line_no) FROM device WHERE file_id = ?", Long.class, fileId);
        return last == null ? 0 : last;
    }

    /**
     * The devices of a batch that have no outcome yet (without their hashes), each with its Graph id: its row's, or
     * the one Graph answered the batch's import with ({@link BatchLedger#batchSent}), which its row gets only with its
     * outcome.
     */
    public List<PendingDevice> pendingDevices(long batchId) {
        Map<Long, String> answered = GraphAnswer.kept(jdbc, GraphAnswer.GRAPH_IDS, batchId);
        return jdbc.query(DEVICE_COLUMNS + "WHERE d.batch_id = ? AND d.outcome IS NULL ORDER BY d.line_no",
                PENDING_DEVICE, batchId).stream().map(d -> d.graphId() != null || !answered.containsKey(d.id()) ? d
                        : new PendingDevice(d.id(), d.line(), d.serialNumber(), d.serialKey(), d.hash(), d.productKey(),
                                d.groupTag(), d.assignedUser(), d.deviceName(), answered.get(d.id()), d.ownGroupTag())).toList();
    }

    /** The devices of a batch that Graph has not confirmed yet, to be sent. */
    public List<PendingDevice> unsentDevices(ImportBatch batch) {
        return jdbc.query(DEVICE_COLUMNS + "WHERE d.batch_id = ? AND d.outcome IS NULL AND d.graph_id IS NULL ORDER BY d.line_no",
                PENDING_DEVICE, batch.id());
    }

    private static PendingDevice pendingDevice(ResultSet rs) throws SQLException {
        long at = rs.getLong("hash_at");
        HashSpan hash = rs.wasNull() ? null : new HashSpan(at, rs.getInt("hash_length"));
        return new PendingDevice(rs.getLong("id"), rs.getLong("line_no"), rs.getString("serial_number"),
                rs.getString("serial_key"), hash, rs.getString("product_key"), rs.getString("group_tag"),
                rs.getString("assigned_user"), rs.getString("device_name"), rs.getString("graph_id"), rs.getBoolean("own_group_tag"));
    }

    @Transactional
    public void recordOutcomes(Map<Long, DeviceOutcome> outcomeByDevice) {
        jdbc.batchUpdate("UPDATE device SET outcome = ?, error_code = ?, error_name = ?, detail = ? WHERE id = ?",
                outcomeByDevice.entrySet(), outcomeByDevice.size(), (ps, e) -> {
                    Sql.setOutcome(ps, 1, e.getValue());
                    ps.setLong(5, e.getKey());
                });
    }

    /**
     * Records what a poll learned, in one JDBC batch, for the devices it learned something about: those that became
     * final, each with its Graph id (written once, with its outcome, where its batch's answer held it until then), and
     * those whose Graph id is new (the tracker leaves a device's Graph id null when the ledger has it already). A
     * device Graph still reports as before costs no statement, since each row update in H2 rewrites its index paths;
     * its import status is stored with its outcome or new Graph id (nothing reads a passing status). A device that goes
     * on to the update stage (UPDATING) gets its update opened in the same transaction: one the poll found registered
     * already that asks for changes, or one its import registered that its line names; and so does the following of an
     * imported device's deployment profile (autopilot.profile-wait), for a named one once it is named. Returns how many
     * rows were written.
     */
    @Transactional
    public int recordPolled(List<PolledDevice> polled) {
        List<PolledDevice> devices = polled.stream().filter(d -> d.outcome() != null || d.graphId() != null).toList();
        if (devices.isEmpty()) {
            return 0;
        }
        int[][] written = jdbc.batchUpdate("""
                UPDATE device SET graph_id = COALESCE(graph_id, ?), import_status = COALESCE(?, import_status), outcome = ?,
                                  error_code = ?, error_name = ?, detail = ?, registration_id = COALESCE(?, registration_id)
                WHERE id = ?""", devices, devices.size(), (ps, d) -> {
            ps.setString(1, d.graphId());
            ps.setString(2, d.importStatus());
            Sql.setOutcome(ps, 3, d.outcome());
            ps.setString(7, d.registrationId());
            ps.setLong(8, d.id());
        });
        List<PolledDevice> updating = devices.stream()
                .filter(d -> d.outcome() != null && d.outcome().outcome() == Outcome.UPDATING).toList();
        List<Long> naming = updating.stream().filter(PolledDevice::imported).map(PolledDevice::id).toList();
        List<Long> registered = updating.stream().filter(d -> !d.imported()).map(PolledDevice::id).toList();
        if (!registered.isEmpty()) {
            updates.openFor(registered);
        }
        if (!naming.isEmpty()) {
            updates.openNaming(naming);
        }
        profiles.openFor(devices.stream().filter(d -> d.outcome() != null && d.outcome().outcome() == Outcome.IMPORTED)
                .map(PolledDevice::id).toList());
        return Arrays.stream(written).flatMapToInt(Arrays::stream).map(n -> Math.max(n, 0)).sum();
    }

    /**
     * The ids Graph gave the batch's imported records, which clean-up deletes: those its import was answered with, and
     * any a device's row got later (a batch adopted after a lost answer learns them by polling).
     */
    public List<String> importedRecordIds(long batchId) {
        Set<String> ids = new LinkedHashSet<>(GraphAnswer.kept(jdbc, GraphAnswer.GRAPH_IDS, batchId).values());
        ids.addAll(jdbc.queryForList("SELECT graph_id FROM device WHERE batch_id = ? AND graph_id IS NOT NULL ORDER BY line_no",
                String.class, batchId));
        return List.copyOf(ids);
    }

    public Map<Outcome, Integer> outcomeCounts(long fileId) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        jdbc.query("SELECT outcome, COUNT(*) FROM device WHERE file_id = ? AND outcome IS NOT NULL GROUP BY outcome",
                (RowCallbackHandler) rs -> counts.put(Outcome.valueOf(rs.getString(1)), rs.getInt(2)), fileId);
        int importedByBatches = LineOutcomes.importedByBatches(jdbc, fileId);
        if (importedByBatches > 0) {
            counts.merge(Outcome.IMPORTED, importedByBatches, Integer::sum);
        }
        return counts;
    }

    /**
     * Devices with this outcome over the whole history: the totals of finished files (removed ones included) and the
     * lines of the files in flight, read through the index on (file_id, outcome): never a count of every device.
     */
    public long deviceCount(Outcome outcome) {
        long counted = jdbc.queryForObject("""
                SELECT COALESCE((SELECT SUM(devices) FROM outcome_total WHERE outcome = ?), 0)
                     + (SELECT COUNT(*) FROM hash_file f JOIN device d ON d.file_id = f.id WHERE f.status IN (?, ?) AND d.outcome = ?)""",
                Long.class, outcome.name(), FileStatus.RECEIVING.name(), FileStatus.RECORDED.name(), outcome.name());
        return outcome == Outcome.IMPORTED ? counted + importedByBatchesInFlight() : counted;
    }

    /** Devices on their way: being imported or followed, or waiting for their registered device's update. */
    public long pendingDeviceCount() {
        // Only files in flight have such lines; those their settled batches keep as imported are not on their way.
        return jdbc.queryForObject("""
                SELECT COUNT(*) FROM hash_file f JOIN device d ON d.file_id = f.id
                WHERE f.status IN (?, ?) AND (d.outcome IS NULL OR d.outcome = ?)""", Long.class,
                FileStatus.RECEIVING.name(), FileStatus.RECORDED.name(), Outcome.UPDATING.name()) - importedByBatchesInFlight();
    }

    private long importedByBatchesInFlight() {
        return jdbc.queryForObject("""
                SELECT COALESCE(SUM(b.imported_unwritten), 0) FROM hash_file f JOIN import_batch b ON b.file_id = f.id
                WHERE f.status IN (?, ?)""", Long.class, FileStatus.RECEIVING.name(), FileStatus.RECORDED.name());
    }

    /** One line's device row; any text of it may be null (a rejected line), so each is given its SQL type. */
    private static void setDeviceRow(PreparedStatement ps, long fileId, RecordedLine l, Long batch, String tenant, HashSpan hash)
            throws SQLException {
        ps.setLong(1, fileId);
        ps.setLong(2, l.line());
        ps.setObject(3, l.serialNumber(), Types.VARCHAR);
        ps.setObject(4, l.serialKey(), Types.VARCHAR);
        ps.setObject(5, l.productKey(), Types.VARCHAR);
        ps.setObject(6, l.groupTag(), Types.VARCHAR);
        ps.setObject(7, l.assignedUser(), Types.VARCHAR);
        ps.setObject(8, l.deviceName(), Types.VARCHAR);
        ps.setObject(9, l.outcome() == null ? null : l.outcome().name(), Types.VARCHAR);
        ps.setObject(10, l.detail(), Types.VARCHAR);
        ps.setBoolean(11, l.ownGroupTag());
        ps.setObject(12, batch, Types.BIGINT);
        ps.setString(13, tenant);
        ps.setObject(14, hash == null ? null : hash.at(), Types.BIGINT);
        ps.setObject(15, hash == null ? null : hash.length(), Types.INTEGER);
    }
}
