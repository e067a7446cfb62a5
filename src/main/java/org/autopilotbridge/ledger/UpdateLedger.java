package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Updates of registered devices ({@code device_update}): a line that asks for its registered device's group tag or
 * user is looked up by serial number, then changed. Each update moves FIND → SEND → SENT → DONE, with its step
 * recorded before the next one acts on it; SENT means the change went to Graph and its answer is not recorded yet, so
 * after a crash the device is read again before the change is sent again. The line keeps outcome UPDATING until its
 * update is DONE, when the update writes the line's final outcome.
 */
@Component
public class UpdateLedger {

    static final String FIND = "FIND";
    static final String SEND = "SEND";
    static final String SENT = "SENT";
    static final String DONE = "DONE";
    static final String UPDATE_ONLY = "UPDATE_ONLY";

    private static final RowMapper<DeviceUpdate> DEVICE_UPDATE = (rs, n) -> new DeviceUpdate(rs.getLong("id"),
            rs.getLong("device_id"), UPDATE_ONLY.equals(rs.getString("kind")), rs.getString("serial_number"),
            rs.getString("group_tag"), rs.getString("assigned_user"), rs.getString("registered_id"),
            rs.getString("found_group_tag"), rs.getString("found_user"), rs.getInt("attempts"), rs.getString("line_detail"));

    /**
     * Opens an update for lines marked UPDATING that have none yet: a line with a hash was found registered by its
     * import, a line without one only updates. The wanted group tag is the line's own, never a default.
     */
    private static final String OPEN = """
            INSERT INTO device_update (device_id, file_id, kind, serial_number, group_tag, assigned_user, status, attempts,
                                       next_try_at)
            SELECT d.id, d.file_id, CASE WHEN EXISTS (SELECT 1 FROM device_hash h WHERE h.file_id = d.file_id
                                                      AND h.line_no = d.line_no) THEN 'REGISTERED' ELSE 'UPDATE_ONLY' END,
                   d.serial_number, CASE WHEN d.own_group_tag THEN d.group_tag END, d.assigned_user, 'FIND', 0, ?
            FROM device d
            WHERE d.outcome = 'UPDATING' AND NOT EXISTS (SELECT 1 FROM device_update u WHERE u.device_id = d.id)""";

    private static final String SELECT = """
            SELECT u.*, d.detail AS line_detail FROM device_update u JOIN device d ON d.id = u.device_id
            WHERE u.status = ? AND u.next_try_at <= ? AND (u.claimed_at IS NULL OR u.claimed_at < ?)
            ORDER BY u.id LIMIT ?""";

    /** Step by status, most urgent first: finish what was sent, send what was found, then find more. */
    private static final List<String> CLAIM_ORDER = List.of(SENT, SEND, FIND);

    /** What a lookup found for an update that has something to change. */
    public record Found(DeviceUpdate update, String registeredId, String groupTag, String userPrincipalName) {
    }

    /** An update that is over, with the line's final outcome and the registered device, if one was found. */
    public record Finished(DeviceUpdate update, DeviceOutcome outcome, String registeredId) {
    }

    /** An update put back for {@code step} at {@code at}; a failed try counts towards autopilot.update-attempts. */
    public record Later(DeviceUpdate update, UpdateChunk.Step step, Instant at, boolean failedTry, String error) {
    }

    private final JdbcTemplate jdbc;

    public UpdateLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens the updates of a file's lines {@code first} to {@code last} that are UPDATING; within the caller's transaction. */
    void openForLines(long fileId, long first, long last) {
        jdbc.update(OPEN + " AND d.file_id = ? AND d.line_no BETWEEN ? AND ?", Sql.now(), fileId, first, last);
    }

    /** Opens the updates of these devices that are UPDATING; within the caller's transaction. */
    void openFor(List<Long> deviceIds) {
        Timestamp now = Sql.now();
        jdbc.batchUpdate(OPEN + " AND d.id = ?", deviceIds, deviceIds.size(), (ps, id) -> {
            ps.setTimestamp(1, now);
            ps.setLong(2, id);
        });
    }

    /**
     * Claims up to {@code size} updates that are due for the same step, or nothing: updates sent without a recorded
     * answer first, then updates to send, then updates to find. An update claimed before {@code claimedBefore} (the
     * start of the caller's run) was left over by a run that ended (a crash, a failure) and is claimed again.
     */
    @Transactional
    public Optional<UpdateChunk> claimNext(int size, Instant claimedBefore) {
        Timestamp now = Sql.now();
        for (String status : CLAIM_ORDER) {
            List<DeviceUpdate> due = jdbc.query(SELECT, DEVICE_UPDATE, status, now, Sql.ts(claimedBefore), size);
            if (due.isEmpty()) {
                continue;
            }
            // An update is SENT from the moment it is claimed for sending: whatever happens next, it is read before
            // it is sent again.
            String claimedStatus = status.equals(SEND) ? SENT : status;
            jdbc.batchUpdate("UPDATE device_update SET claimed_at = ?, status = ? WHERE id = ?", due, due.size(), (ps, u) -> {
                ps.setTimestamp(1, now);
                ps.setString(2, claimedStatus);
                ps.setLong(3, u.id());
            });
            return Optional.of(new UpdateChunk(step(status), due));
        }
        return Optional.empty();
    }

    /**
     * Records what one step did with its updates, in one transaction: devices found with something to change (to be
     * sent now), updates put back for a later try, and updates that are over, each line with its final outcome (Graph's
     * error code and name from its import stay unless the update has its own) and the registered device's id where
     * one was found.
     */
    @Transactional
    public void record(List<Found> found, List<Later> later, List<Finished> finished) {
        Timestamp now = Sql.now();
        jdbc.batchUpdate("""
                UPDATE device_update SET status = ?, registered_id = ?, found_group_tag = ?, found_user = ?,
                                         claimed_at = NULL, next_try_at = ? WHERE id = ?""", found, found.size(), (ps, f) -> {
            ps.setString(1, SEND);
            ps.setString(2, f.registeredId());
            ps.setString(3, f.groupTag());
            ps.setString(4, f.userPrincipalName());
            ps.setTimestamp(5, now);
            ps.setLong(6, f.update().id());
        });
        jdbc.batchUpdate("""
                UPDATE device_update SET status = ?, next_try_at = ?, claimed_at = NULL, attempts = attempts + ?,
                                         last_error = COALESCE(?, last_error) WHERE id = ?""", later, later.size(), (ps, l) -> {
            ps.setString(1, status(l.step()));
            ps.setTimestamp(2, Sql.ts(l.at()));
            ps.setInt(3, l.failedTry() ? 1 : 0);
            ps.setString(4, Sql.truncate(l.error(), 2000));
            ps.setLong(5, l.update().id());
        });
        jdbc.batchUpdate("""
                UPDATE device_update SET status = ?, registered_id = COALESCE(?, registered_id), claimed_at = NULL,
                                         finished_at = ? WHERE id = ?""", finished, finished.size(), (ps, f) -> {
            ps.setString(1, DONE);
            ps.setString(2, f.registeredId());
            ps.setTimestamp(3, now);
            ps.setLong(4, f.update().id());
        });
        jdbc.batchUpdate("""
                UPDATE device SET outcome = ?, error_code = COALESCE(?, error_code), error_name = COALESCE(?, error_name),
                                  detail = ?, registration_id = COALESCE(?, registration_id) WHERE id = ?""",
                finished, finished.size(), (ps, f) -> {
                    Sql.setOutcome(ps, 1, f.outcome());
                    ps.setString(5, f.registeredId());
                    ps.setLong(6, f.update().deviceId());
                });
    }

    /** When the next update that is not done is due (it may be now); empty when none is open. */
    public Optional<Instant> nextDue() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MIN(next_try_at) FROM device_update WHERE status IN (?, ?, ?)",
                Timestamp.class, FIND, SEND, SENT)).map(Timestamp::toInstant);
    }

    private static UpdateChunk.Step step(String status) {
        return switch (status) {
            case SENT -> UpdateChunk.Step.VERIFY;
            case SEND -> UpdateChunk.Step.SEND;
            default -> UpdateChunk.Step.FIND;
        };
    }

    private static String status(UpdateChunk.Step step) {
        return switch (step) {
            case VERIFY -> SENT;
            case SEND -> SEND;
            case FIND -> FIND;
        };
    }
}
