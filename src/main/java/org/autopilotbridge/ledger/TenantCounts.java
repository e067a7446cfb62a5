package org.autopilotbridge.ledger;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Each tenant's files by status and devices by outcome over the ledger's whole history, in five grouped queries
 * whatever the number of tenants: devices are the totals of finished files ({@code outcome_total}) and the lines of
 * the files in flight, so that a read never counts every device (as {@link DeviceLedger#deviceCount}).
 */
@Component
public class TenantCounts {

    private final JdbcTemplate jdbc;

    public TenantCounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One tenant's counts; a status or outcome it never had counts 0. */
    public record Counts(Map<FileStatus, Long> files, Map<Outcome, Long> devices, long pending, long waitingForProfile) {

        /** A tenant the ledger holds no work for. */
        public static final Counts NONE = new Counts(Map.of(), Map.of(), 0, 0);

        public long files(FileStatus status) {
            return files.getOrDefault(status, 0L);
        }

        /** Files being read or whose devices are on their way. */
        public long filesInFlight() {
            return files(FileStatus.RECEIVING) + files(FileStatus.RECORDED);
        }

        public long devices(Outcome outcome) {
            return devices.getOrDefault(outcome, 0L);
        }
    }

    /** Every tenant the ledger holds work or totals for, by name. */
    public Map<String, Counts> byTenant() {
        Map<String, Map<FileStatus, Long>> files = new TreeMap<>();
        jdbc.query("SELECT tenant, status, COUNT(*) FROM hash_file GROUP BY tenant, status", (RowCallbackHandler) rs ->
                files.computeIfAbsent(rs.getString(1), t -> new EnumMap<>(FileStatus.class)).put(FileStatus.of(rs.getString(2)), rs.getLong(3)));
        Map<String, Map<Outcome, Long>> devices = new TreeMap<>();
        jdbc.query("SELECT tenant, outcome, devices FROM outcome_total", (RowCallbackHandler) rs ->
                devices.computeIfAbsent(rs.getString(1), t -> new EnumMap<>(Outcome.class)).put(Outcome.valueOf(rs.getString(2)), rs.getLong(3)));
        Map<String, Long> pending = new TreeMap<>();
        // Only files in flight have lines without a final outcome; their final lines are not in the totals yet.
        jdbc.query("""
                SELECT f.tenant, d.outcome, COUNT(*) FROM hash_file f JOIN device d ON d.file_id = f.id
                WHERE f.status IN (?, ?) GROUP BY f.tenant, d.outcome""", (RowCallbackHandler) rs -> {
                    String outcome = rs.getString(2);
                    if (outcome == null || outcome.equals(Outcome.UPDATING.name())) {
                        pending.merge(rs.getString(1), rs.getLong(3), Long::sum);
                    } else {
                        devices.computeIfAbsent(rs.getString(1), t -> new EnumMap<>(Outcome.class))
                                .merge(Outcome.valueOf(outcome), rs.getLong(3), Long::sum);
                    }
                }, FileStatus.RECEIVING.name(), FileStatus.RECORDED.name());
        // Lines without an outcome of their own that their settled batches keep as imported are not on their way.
        jdbc.query("""
                SELECT f.tenant, SUM(b.imported_unwritten) FROM hash_file f JOIN import_batch b ON b.file_id = f.id
                WHERE f.status IN (?, ?) AND b.imported_unwritten > 0 GROUP BY f.tenant""", (RowCallbackHandler) rs -> {
                    pending.merge(rs.getString(1), -rs.getLong(2), Long::sum);
                    devices.computeIfAbsent(rs.getString(1), t -> new EnumMap<>(Outcome.class))
                            .merge(Outcome.IMPORTED, rs.getLong(2), Long::sum);
                }, FileStatus.RECEIVING.name(), FileStatus.RECORDED.name());
        Map<String, Long> waiting = new TreeMap<>();
        jdbc.query("SELECT tenant, COUNT(*) FROM profile_follow WHERE status = ? GROUP BY tenant",
                (RowCallbackHandler) rs -> waiting.put(rs.getString(1), rs.getLong(2)), FollowStatus.FOLLOWING.name());

        Map<String, Counts> counts = new TreeMap<>();
        // Retention may have removed every file of a tenant whose devices are still counted.
        Set<String> tenants = new TreeSet<>(files.keySet());
        tenants.addAll(devices.keySet());
        for (String tenant : tenants) {
            counts.put(tenant, new Counts(Map.copyOf(files.getOrDefault(tenant, Map.of())), Map.copyOf(devices.getOrDefault(tenant, Map.of())),
                    pending.getOrDefault(tenant, 0L), waiting.getOrDefault(tenant, 0L)));
        }
        return counts;
    }
}
