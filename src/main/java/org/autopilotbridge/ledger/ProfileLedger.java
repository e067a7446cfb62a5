package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Following deployment profiles ({@code profile_follow}, {@code autopilot.profile-wait}): a line whose device was
 * imported or updated gets a row in the same transaction that gives it its outcome, so no file is reported before its
 * devices are followed. Each row is FOLLOWING, read and leased like an update, until it is DONE with how it ended;
 * its file is reported once none of its rows is FOLLOWING.
 */
@Component
public class ProfileLedger {

    private static final RowMapper<ProfileFollow> FOLLOW = (rs, n) -> new ProfileFollow(rs.getLong("id"),
            rs.getLong("device_id"), rs.getString("registered_id"), rs.getString("serial_number"), rs.getInt("reads"),
            Sql.instant(rs, "deadline"), rs.getString("seen_status"), rs.getString("tenant"));

    /** Follows a line whose device is registered, imported or updated, and not followed yet. */
    private static final String OPEN = """
            INSERT INTO profile_follow (device_id, file_id, registered_id, serial_number, status, reads, next_read_at, deadline,
                                        tenant)
            SELECT d.id, d.file_id, d.registration_id, d.serial_number, :following, 0, :firstRead, :deadline, d.tenant
            FROM device d
            WHERE d.id = :id AND d.outcome IN (:outcomes) AND d.registration_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM profile_follow p WHERE p.device_id = d.id)""";

    /** The tenant's rows due for a read that nobody holds (or whose instance died, by the database's clock). */
    private static final String DUE = """
            SELECT id FROM profile_follow
            WHERE tenant = :tenant AND status = :following AND next_read_at <= :now AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP)
            ORDER BY next_read_at, id LIMIT :size""";

    private static final String RELEASE = ", lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :owner";

    /** A row read again at {@code at}; {@code seenStatus} is what Intune showed (null: the read failed, keep the last). */
    public record Later(ProfileFollow follow, Instant at, String seenStatus) {
    }

    /** A row that is over: how, the profile's name where one was read, and why for lines that need action. */
    public record Ended(ProfileFollow follow, ProfileStatus status, String profileName, String detail) {
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final LedgerDialect dialect;
    private final ThisInstance instance;
    private final Duration wait;
    private final Duration firstRead;

    @Autowired
    public ProfileLedger(JdbcTemplate jdbc, LedgerDialect dialect, ThisInstance instance, ImportProperties imports,
                         GraphProperties graph) {
        this(jdbc, dialect, instance, imports.getProfileWait(), graph.getPollInterval());
    }

    /** Devices followed for {@code wait} (0: none is), first read {@code firstRead} after their import or update. */
    public ProfileLedger(JdbcTemplate jdbc, LedgerDialect dialect, ThisInstance instance, Duration wait, Duration firstRead) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = dialect;
        this.instance = instance;
        this.wait = wait;
        this.firstRead = firstRead;
    }

    /** Whether devices are followed at all: {@code autopilot.profile-wait} is more than 0. */
    public boolean enabled() {
        return wait.compareTo(Duration.ZERO) > 0;
    }

    /**
     * Follows these devices where they are imported or updated and their registered device is known; within the
     * caller's transaction, which gives them that outcome. The first read is a poll-interval away (Intune needs
     * minutes at least), the wait ends autopilot.profile-wait from now.
     */
    void openFor(List<Long> deviceIds) {
        if (!enabled() || deviceIds.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        Timestamp first = Sql.ts(now.plus(firstRead));
        Timestamp deadline = Sql.ts(now.plus(wait));
        batch(OPEN, deviceIds, id -> new MapSqlParameterSource("id", id).addValue("following", FollowStatus.FOLLOWING.name())
                .addValue("firstRead", first).addValue("deadline", deadline)
                .addValue("outcomes", List.of(Outcome.IMPORTED.name(), Outcome.UPDATED.name())));
    }

    /**
     * Leases up to {@code size} of the tenant's rows due for a read to this instance, longest due first; on a shared
     * ledger rows another instance is leasing at that moment are passed over. Empty when none is due.
     */
    @Transactional
    public List<ProfileFollow> claimNext(int size, String tenant) {
        List<Long> ids = named.queryForList(DUE + dialect.skipLocked(), new MapSqlParameterSource("following",
                FollowStatus.FOLLOWING.name()).addValue("now", Sql.now()).addValue("size", size).addValue("tenant", tenant),
                Long.class);
        if (ids.isEmpty()) {
            return List.of();
        }
        batch("UPDATE profile_follow SET lease_owner = :owner, lease_until = " + dialect.nowPlus(instance.lease())
                + " WHERE id = :id", ids, id -> new MapSqlParameterSource("owner", instance.id()).addValue("id", id));
        ids.forEach(instance::workingOnFollow);
        return ids.stream().map(id -> jdbc.queryForObject("SELECT * FROM profile_follow WHERE id = ?", FOLLOW, id)).toList();
    }

    /** Gives back the leases of rows whose read stopped early: they are read again as they were. */
    public void release(List<ProfileFollow> follows) {
        follows.forEach(f -> instance.doneWithFollow(f.id()));
        batch("UPDATE profile_follow SET status = status" + RELEASE, follows, this::held);
    }

    /**
     * Records one read of a chunk in one transaction and gives the leases back: rows read again later, and rows that
     * are over; a row whose lease passed to another instance is left to it.
     */
    @Transactional
    public void record(List<Later> later, List<Ended> ended) {
        batch("UPDATE profile_follow SET next_read_at = :at, reads = reads + 1, seen_status = COALESCE(:seen, seen_status)"
                + RELEASE, later, l -> held(l.follow()).addValue("at", Sql.ts(l.at())).addValue("seen", l.seenStatus()));
        batch("""
                UPDATE profile_follow SET status = :done, reads = reads + 1, profile_status = :status,
                                          deployment_profile = :profile, detail = :detail, finished_at = :now""" + RELEASE,
                ended, e -> held(e.follow()).addValue("done", FollowStatus.DONE.name()).addValue("status", e.status().name())
                        .addValue("profile", Sql.truncate(e.profileName(), 256)).addValue("detail", Sql.truncate(e.detail(), 2000))
                        .addValue("now", Sql.now()));
        later.forEach(l -> instance.doneWithFollow(l.follow().id()));
        ended.forEach(e -> instance.doneWithFollow(e.follow().id()));
    }

    /** When the next read is due (it may be now); empty when no device is followed. */
    public Optional<Instant> nextDue() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MIN(next_read_at) FROM profile_follow WHERE status = ?",
                Timestamp.class, FollowStatus.FOLLOWING.name())).map(Timestamp::toInstant);
    }

    /** Devices waiting for their deployment profile now, over every file in flight. */
    public long waiting() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM profile_follow WHERE status = ?", Long.class, FollowStatus.FOLLOWING.name());
    }

    /** How the followed lines of a file ended, by status; lines not followed are not counted. */
    public Map<ProfileStatus, Integer> statusCounts(long fileId) {
        Map<ProfileStatus, Integer> counts = new EnumMap<>(ProfileStatus.class);
        jdbc.query("SELECT profile_status, COUNT(*) FROM profile_follow WHERE file_id = ? AND profile_status IS NOT NULL "
                + "GROUP BY profile_status", (RowCallbackHandler) rs -> counts.put(ProfileStatus.valueOf(rs.getString(1)),
                rs.getInt(2)), fileId);
        return counts;
    }

    private MapSqlParameterSource held(ProfileFollow follow) {
        return new MapSqlParameterSource("id", follow.id()).addValue("owner", instance.id());
    }

    private <T> void batch(String sql, List<T> items, Function<T, MapSqlParameterSource> parameters) {
        named.batchUpdate(sql, items.stream().map(parameters).toArray(SqlParameterSource[]::new));
    }
}
