package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the service keeps about each tenant as a whole: the Autopilot sync it owes, and what it learned about how
 * Graph answers there. A tenant's rows are made when a service configured with it starts.
 */
@Component
public class TenantLedger {

    private static final Logger LOG = LoggerFactory.getLogger(TenantLedger.class);

    private final JdbcTemplate jdbc;

    TenantLedger(JdbcTemplate jdbc, Tenants tenants) {
        this.jdbc = jdbc;
        // Before any Graph call: a tenant added to the configuration of a running ledger gets its rows at its first start.
        tenants.all().forEach(t -> register(t.name()));
        List<String> unconfigured = jdbc.queryForList("SELECT DISTINCT tenant FROM hash_file WHERE status IN (?, ?) ORDER BY tenant",
                String.class, FileStatus.RECEIVING.name(), FileStatus.RECORDED.name()).stream()
                .filter(name -> tenants.find(name).isEmpty()).toList();
        if (!unconfigured.isEmpty()) {
            LOG.warn("The ledger holds unfinished files of {} {}, which the configuration no longer names: their devices "
                    + "wait until the tenant is configured again ({})", unconfigured.size() == 1 ? "tenant" : "tenants",
                    String.join(", ", unconfigured), Tenant.SINGLE + " is the tenant of autopilot.tenant-id");
        }
    }

    /** Makes the rows a tenant's sync and throttling are kept in, unless an earlier start (or another instance) did. */
    private void register(String tenant) {
        for (String table : List.of("tenant_sync", "tenant_throttle")) {
            try {
                jdbc.update("INSERT INTO " + table + " (tenant) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM " + table
                        + " WHERE tenant = ?)", tenant, tenant);
            } catch (DuplicateKeyException e) {
                // Another instance starting at the same moment made it.
            }
        }
    }

    /** Notes that a sync is wanted; an earlier, still open request stands. */
    public void requestSync(String tenant) {
        jdbc.update("UPDATE tenant_sync SET requested_at = COALESCE(requested_at, ?) WHERE tenant = ?", Sql.now(), tenant);
    }

    public SyncState syncState(String tenant) {
        return jdbc.queryForObject("SELECT requested_at, last_sync_at, next_try_at, last_result FROM tenant_sync WHERE tenant = ?",
                (rs, n) -> new SyncState(Sql.instant(rs, "requested_at"), Sql.instant(rs, "last_sync_at"),
                        Sql.instant(rs, "next_try_at"), rs.getString("last_result")), tenant);
    }

    /**
     * Takes the wanted sync for this instance, if no other instance took it since {@code seen} was read: its next
     * try moves to {@code retryAt}, which is also when another instance may try should this one never say how it
     * went. True if this instance has it.
     */
    public boolean claimSync(String tenant, SyncState seen, Instant retryAt) {
        Timestamp before = Timestamp.from(seen.nextTryAt() == null ? Instant.EPOCH : seen.nextTryAt());
        return jdbc.update("""
                UPDATE tenant_sync SET next_try_at = ? WHERE tenant = ? AND requested_at IS NOT NULL
                  AND COALESCE(next_try_at, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00:00') = ?""", Sql.ts(retryAt), tenant,
                before) == 1;
    }

    public void syncDone(String tenant, Instant at) {
        jdbc.update("UPDATE tenant_sync SET requested_at = NULL, last_sync_at = ?, next_try_at = NULL, last_result = 'synced' "
                + "WHERE tenant = ?", Sql.ts(at), tenant);
    }

    public void syncDeferred(String tenant, Instant nextTry, String result) {
        jdbc.update("UPDATE tenant_sync SET next_try_at = ?, last_result = ? WHERE tenant = ?", Sql.ts(nextTry),
                Sql.truncate(result, 2000), tenant);
    }

    /** A behaviour of Graph learned earlier in the tenant, by name; empty when nothing was learned yet. */
    public Optional<String> graphBehaviour(String tenant, String name) {
        return jdbc.queryForList("SELECT learned FROM tenant_graph_behaviour WHERE tenant = ? AND name = ?", String.class,
                tenant, name).stream().findFirst();
    }

    /** Records what Graph was seen to do, with the observation that showed it. */
    public void learnGraphBehaviour(String tenant, String name, String value, String detail) {
        Object[] args = {value, Sql.now(), Sql.truncate(detail, 2000), tenant, name};
        String update = "UPDATE tenant_graph_behaviour SET learned = ?, learned_at = ?, detail = ? WHERE tenant = ? AND name = ?";
        if (jdbc.update(update, args) == 0) {
            try {
                jdbc.update("INSERT INTO tenant_graph_behaviour (learned, learned_at, detail, tenant, name) VALUES (?, ?, ?, ?, ?)",
                        args);
            } catch (DuplicateKeyException e) {
                // Another instance learned it at the same moment.
                jdbc.update(update, args);
            }
        }
    }
}
