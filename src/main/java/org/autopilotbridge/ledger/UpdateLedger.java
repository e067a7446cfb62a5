package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Updates of registered devices ({@code device_update}): a line that asks for its registered device's group tag, user
 * or name is looked up by serial number, then changed; a device its own import registered is named by the id the
 * import gave it, without a look-up. Each update moves FIND → SEND → SENT → DONE, with its step
 * recorded before the next one acts on it; SENT means the change went to Graph and its answer is not recorded yet, so
 * after a crash the device is read again before the change is sent again. The line keeps outcome UPDATING until its
 * update is DONE, when the update writes the line's final outcome.
 */
@Component
public class UpdateLedger {

    /** The statuses of an update that is not over. */
    private static final List<String> OPEN_STATUSES = List.of(UpdateStatus.FIND.name(), UpdateStatus.SEND.name(),
            UpdateStatus.SENT.name());

    private static final RowMapper<DeviceUpdate> DEVICE_UPDATE = (rs, n) -> new DeviceUpdate(rs.getLong("id"),
            rs.getLong("device_id"), DeviceUpdate.Kind.valueOf(rs.getString("kind")), rs.getString("serial_number"),
            rs.getString("group_tag"), rs.getString("assigned_user"), rs.getString("display_name"), rs.getString("registered_id"),
            rs.getString("found_group_tag"), rs.getString("found_user"), rs.getString("found_display_name"), rs.getInt("attempts"),
            rs.getString("line_detail"), rs.getBoolean("importable"));

    /**
     * Opens an update for lines marked UPDATING that have none yet: a line with a hash was found registered by its
     * import, a line without one only updates. The wanted group tag is the line's own, never a default.
     */
    private static final String OPEN = """
            INSERT INTO device_update (device_id, file_id, kind, serial_number, group_tag, assigned_user, display_name,
                                       status, attempts, next_try_at, tenant)
            SELECT d.id, d.file_id, CASE WHEN d.hash_at IS NOT NULL THEN 'REGISTERED' ELSE 'UPDATE_ONLY' END,
                   d.serial_number, CASE WHEN d.own_group_tag THEN d.group_tag END, d.assigned_user, d.device_name, :find,
                   0, :now, d.tenant
            FROM device d
            WHERE d.outcome = :updating AND NOT EXISTS (SELECT 1 FROM device_update u WHERE u.device_id = d.id)""";

    /**
     * Opens the naming of a device its own import registered: only the name is sent (the import set the group tag and
     * user), straight to the id the import gave (no look-up), unless Graph gave none.
     */
    private static final String OPEN_NAMING = """
            INSERT INTO device_update (device_id, file_id, kind, serial_number, display_name, registered_id, status,
                                       attempts, next_try_at, tenant)
            SELECT d.id, d.file_id, 'IMPORTED', d.serial_number, d.device_name, d.registration_id,
                   CASE WHEN d.registration_id IS NULL THEN :find ELSE :send END, 0, :now, d.tenant
            FROM device d
            WHERE d.id = :id AND d.outcome = :updating AND NOT EXISTS (SELECT 1 FROM device_update u WHERE u.device_id = d.id)""";

    /**
     * Updates due for a step that nobody holds: never leased, given back, or leased by an instance that died (by the
     * database's clock, see {@link LedgerDialect#nowPlus}).
     */
    private static final String DUE_WHERE = """
            status = :status AND next_try_at <= :now AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP)""";

    /** The tenant's files (not yet reported) with updates due for a step, oldest first. */
    private static final String DUE_FILES = "SELECT f.id FROM hash_file f WHERE f.tenant = :tenant AND f.status IN (:fileStatuses) AND EXISTS ("
            + "SELECT 1 FROM device_update u WHERE u.file_id = f.id AND " + DUE_WHERE + ") ORDER BY f.id";

    /** A file's updates due for a step, oldest first. */
    private static final String DUE = "SELECT id FROM device_update WHERE file_id = :file AND " + DUE_WHERE
            + " ORDER BY id LIMIT :size";

    private static final String SELECT = """
            SELECT u.*, d.detail AS line_detail,
                   CASE WHEN u.kind = 'REGISTERED' AND d.batch_id IS NULL THEN TRUE ELSE FALSE END AS importable
            FROM device_update u JOIN device d ON d.id = u.device_id
            WHERE u.id = :id""";

    /** Gives an update's lease back with its new state; only the instance that holds it may. */
    private static final String RELEASE = ", lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :owner";

    /** Step by status, most urgent first: finish what was sent, send what was found, then find more. */
    private static final List<UpdateStatus> CLAIM_ORDER = List.of(UpdateStatus.SENT, UpdateStatus.SEND, UpdateStatus.FIND);

    /** What a lookup found for an update that has something to change. */
    public record Found(DeviceUpdate update, String registeredId, String groupTag, String userPrincipalName, String displayName) {
    }

    /** An update that is over, with the line's final outcome and the registered device, if one was found. */
    public record Finished(DeviceUpdate update, DeviceOutcome outcome, String registeredId) {
    }

    /** An update put back for {@code step} at {@code at}; a failed try counts towards autopilot.update-attempts. */
    public record Later(DeviceUpdate update, UpdateChunk.Step step, Instant at, boolean failedTry, String error) {
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final LedgerDialect dialect;
    private final ThisInstance instance;
    private final ProfileLedger profiles;

    public UpdateLedger(JdbcTemplate jdbc, LedgerDialect dialect, ThisInstance instance, ProfileLedger profiles) {
        this.profiles = profiles;
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = dialect;
        this.instance = instance;
    }

    /** Opens the updates of a file's lines {@code first} to {@code last} that are UPDATING; within the caller's transaction. */
    void openForLines(long fileId, long first, long last) {
        named.update(OPEN + " AND d.file_id = :file AND d.line_no BETWEEN :first AND :last",
                opening(Sql.now()).addValue("file", fileId).addValue("first", first).addValue("last", last));
    }

    /** Opens the updates of these devices that are UPDATING; within the caller's transaction. */
    void openFor(List<Long> deviceIds) {
        Timestamp now = Sql.now();
        batch(OPEN + " AND d.id = :id", deviceIds, id -> opening(now).addValue("id", id));
    }

    /** Opens the naming of these devices, UPDATING after their import registered them; within the caller's transaction. */
    void openNaming(List<Long> deviceIds) {
        Timestamp now = Sql.now();
        batch(OPEN_NAMING, deviceIds, id -> opening(now).addValue("id", id).addValue("send", UpdateStatus.SEND.name()));
    }

    private static MapSqlParameterSource opening(Timestamp now) {
        return new MapSqlParameterSource("find", UpdateStatus.FIND.name()).addValue("now", now)
                .addValue("updating", Outcome.UPDATING.name());
    }

    /**
     * Leases up to {@code size} updates of the tenant that are due for the same step to this instance, or nothing: updates sent
     * without a recorded answer first, then updates to send, then updates to find. On a shared ledger the rows are
     * locked while they are leased, and rows another instance is leasing at that moment are passed over; an update
     * whose instance died is taken over once its lease has run out.
     */
    @Transactional
    public Optional<UpdateChunk> claimNext(int size, String tenant) {
        Timestamp now = Sql.now();
        for (UpdateStatus status : CLAIM_ORDER) {
            List<Long> ids = due(status, now, size, tenant);
            if (ids.isEmpty()) {
                continue;
            }
            // An update is SENT from the moment it is claimed for sending: whatever happens next, it is read before
            // it is sent again.
            UpdateStatus claimed = status == UpdateStatus.SEND ? UpdateStatus.SENT : status;
            batch("UPDATE device_update SET lease_owner = :owner, lease_until = " + dialect.nowPlus(instance.lease())
                    + ", status = :status WHERE id = :id", ids, id -> new MapSqlParameterSource("owner", instance.id())
                    .addValue("status", claimed.name()).addValue("id", id));
            dialect.durableOnCommit(jdbc);
            ids.forEach(instance::workingOnUpdate);
            List<DeviceUpdate> due = ids.stream().map(id -> named.queryForObject(SELECT, Map.of("id", id), DEVICE_UPDATE)).toList();
            return Optional.of(new UpdateChunk(status.step(), due, tenant));
        }
        return Optional.empty();
    }

    /**
     * Up to {@code size} updates due for {@code status}, one of each file in turn: a large re-tag spreadsheet must
     * not hold back the updates of every file dropped after it, and a chunk stays full while any file has more.
     */
    private List<Long> due(UpdateStatus status, Timestamp now, int size, String tenant) {
        MapSqlParameterSource due = new MapSqlParameterSource("status", status.name()).addValue("now", now).addValue("size", size)
                .addValue("tenant", tenant)
                .addValue("fileStatuses", List.of(FileStatus.RECEIVING.name(), FileStatus.RECORDED.name()));
        List<Deque<Long>> byFile = named.queryForList(DUE_FILES, due, Long.class).stream()
                .<Deque<Long>>map(file -> new ArrayDeque<>(named.queryForList(DUE + dialect.skipLocked(),
                        new MapSqlParameterSource(due.getValues()).addValue("file", file), Long.class))).toList();
        List<Long> ids = new ArrayList<>(size);
        while (ids.size() < size && byFile.stream().anyMatch(updates -> !updates.isEmpty())) {
            for (Deque<Long> updates : byFile) {
                if (!updates.isEmpty() && ids.size() < size) {
                    ids.add(updates.poll());
                }
            }
        }
        return ids;
    }

    /**
     * The fencing check, made right before a chunk's changes are sent: true, with the leases renewed, only if this
     * instance still holds every update of the chunk and none has run out by the database's clock. Otherwise another
     * instance may be working on some of them, and the chunk must not be sent (see {@link BatchLedger#stillHeld}).
     */
    public boolean stillHeld(UpdateChunk chunk) {
        int[] held = batch("UPDATE device_update SET lease_until = " + dialect.nowPlus(instance.lease())
                + " WHERE id = :id AND lease_owner = :owner AND lease_until > CURRENT_TIMESTAMP", chunk.updates(), this::held);
        return Arrays.stream(held).sum() == chunk.updates().size();
    }

    /**
     * Gives back the leases of a chunk whose work stopped early (a failure): another instance, or this one, takes it
     * up again; an update claimed for sending stays SENT, so its device is read before the change is sent again.
     */
    public void release(UpdateChunk chunk) {
        chunk.updates().forEach(u -> instance.doneWithUpdate(u.id()));
        batch("UPDATE device_update SET status = status" + RELEASE, chunk.updates(), this::held);
    }

    /**
     * Records what one step did with its updates, in one transaction, and gives their leases back: devices found with
     * something to change (to be sent now), updates put back for a later try, and updates that are over, each line
     * with its final outcome (Graph's error code and name from its import stay unless the update has its own) and the
     * registered device's id where one was found, an updated one followed for its deployment profile
     * (autopilot.profile-wait); and lines whose device is not registered any more although this
     * service registered it from an earlier file, which go back to be imported (their update is dropped, so that
     * Graph's answer to the import can open a new one). An update whose lease passed to another instance is left to it.
     */
    @Transactional
    public void record(List<Found> found, List<Later> later, List<Finished> finished, List<DeviceUpdate> toImport) {
        Timestamp now = Sql.now();
        String owner = instance.id();
        String leased = "EXISTS (SELECT 1 FROM device_update u WHERE u.device_id = device.id AND u.lease_owner = :owner)";
        batch("UPDATE device SET outcome = NULL, detail = NULL WHERE id = :device AND " + leased, toImport,
                u -> new MapSqlParameterSource("device", u.deviceId()).addValue("owner", owner));
        batch("DELETE FROM device_update WHERE id = :id AND lease_owner = :owner", toImport, this::held);
        toImport.forEach(u -> instance.doneWithUpdate(u.id()));
        batch("""
                UPDATE device SET outcome = :outcome, error_code = COALESCE(:errorCode, error_code),
                                  error_name = COALESCE(:errorName, error_name), detail = :detail,
                                  registration_id = COALESCE(:registeredId, registration_id)
                WHERE id = :device AND\s""" + leased, finished, f -> new MapSqlParameterSource("outcome", f.outcome().outcome().name())
                .addValue("errorCode", f.outcome().errorCode()).addValue("errorName", f.outcome().errorName())
                .addValue("detail", Sql.truncate(f.outcome().detail(), 2000)).addValue("registeredId", f.registeredId())
                .addValue("device", f.update().deviceId()).addValue("owner", owner));
        batch("""
                UPDATE device_update SET status = :status, registered_id = :registeredId, found_group_tag = :groupTag,
                                         found_user = :user, found_display_name = :name, next_try_at = :now""" + RELEASE, found,
                f -> held(f.update()).addValue("status", UpdateStatus.SEND.name()).addValue("registeredId", f.registeredId())
                        .addValue("groupTag", f.groupTag()).addValue("user", f.userPrincipalName())
                        .addValue("name", Sql.truncate(f.displayName(), 256)).addValue("now", now));
        batch("""
                UPDATE device_update SET status = :status, next_try_at = :at, attempts = attempts + :failedTries,
                                         last_error = COALESCE(:error, last_error)""" + RELEASE, later,
                l -> held(l.update()).addValue("status", UpdateStatus.waitingFor(l.step()).name()).addValue("at", Sql.ts(l.at()))
                        .addValue("failedTries", l.failedTry() ? 1 : 0).addValue("error", Sql.truncate(l.error(), 2000)));
        batch("""
                UPDATE device_update SET status = :status, registered_id = COALESCE(:registeredId, registered_id),
                                         finished_at = :now""" + RELEASE, finished,
                f -> held(f.update()).addValue("status", UpdateStatus.DONE.name()).addValue("registeredId", f.registeredId())
                        .addValue("now", now));
        // A device named after its own import ends imported, and is followed from then on like any imported one.
        profiles.openFor(finished.stream().filter(f -> f.outcome().outcome() == Outcome.UPDATED
                || f.outcome().outcome() == Outcome.IMPORTED).map(f -> f.update().deviceId()).toList());
        found.forEach(f -> instance.doneWithUpdate(f.update().id()));
        later.forEach(l -> instance.doneWithUpdate(l.update().id()));
        finished.forEach(f -> instance.doneWithUpdate(f.update().id()));
    }

    /** When the next update that is not done is due (it may be now); empty when none is open. */
    public Optional<Instant> nextDue() {
        return Optional.ofNullable(named.queryForObject("SELECT MIN(next_try_at) FROM device_update WHERE status IN (:open)",
                Map.of("open", OPEN_STATUSES), Timestamp.class)).map(Timestamp::toInstant);
    }

    /** The update as this instance holds it: by its id, leased to this instance. */
    private MapSqlParameterSource held(DeviceUpdate update) {
        return new MapSqlParameterSource("id", update.id()).addValue("owner", instance.id());
    }

    /** One statement run for each item, with the parameters {@code parameters} gives it. */
    private <T> int[] batch(String sql, List<T> items, Function<T, MapSqlParameterSource> parameters) {
        return named.batchUpdate(sql, items.stream().map(parameters).toArray(SqlParameterSource[]::new));
    }
}
