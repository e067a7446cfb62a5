package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.autopilotbridge.graph.SpendWindow;
import org.autopilotbridge.graph.SpendWindows;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The spend windows and the Retry-After holds that all instances on one PostgreSQL ledger share, one per tenant,
 * since Graph throttles per app and tenant. Times are the database's, so the instances' clocks do not matter, and
 * the tenant's row of tenant_throttle is locked while a call is admitted, so the instances' calls to one tenant are
 * admitted one at a time.
 */
@Component
// TenantLedger makes each tenant's row of tenant_throttle at start, which every spend locks.
@DependsOn("tenantLedger")
@ConditionalOnExpression("'${spring.datasource.url:}' != ''")
public class SharedSpendWindow implements SpendWindows {

    /** As {@code GraphGate.WINDOW}: a second longer than Graph's 20 seconds. */
    private static final String WINDOW = "INTERVAL '21 seconds'";
    private static final String IN_WINDOW = "FROM graph_spend WHERE tenant = ? AND spent_at > CURRENT_TIMESTAMP - " + WINDOW;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    SharedSpendWindow(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public SpendWindow of(String tenant) {
        return new SpendWindow() {
            @Override
            public Spent spent() {
                return spentIn(tenant);
            }

            @Override
            public boolean spend(int requests, int writes, int requestLimit, int writeLimit) {
                return Boolean.TRUE.equals(transaction.execute(status -> spendIn(tenant, requests, writes, requestLimit, writeLimit)));
            }

            @Override
            public void holdUntil(Instant until) {
                holdIn(tenant, until);
            }
        };
    }

    private SpendWindow.Spent spentIn(String tenant) {
        Map<String, Object> row = jdbc.queryForMap("SELECT t.hold_until, (SELECT COALESCE(SUM(requests), 0) " + IN_WINDOW
                + ") AS requests, (SELECT COALESCE(SUM(writes), 0) " + IN_WINDOW + ") AS writes, (SELECT MIN(spent_at) + "
                + WINDOW + " " + IN_WINDOW + ") AS window_moves FROM tenant_throttle t WHERE t.tenant = ?",
                tenant, tenant, tenant, tenant);
        return new SpendWindow.Spent(((Number) row.get("requests")).intValue(), ((Number) row.get("writes")).intValue(),
                instant(row.get("hold_until"), Instant.MIN), instant(row.get("window_moves"), null));
    }

    /** As {@link SpendWindow#spend}, in the caller's transaction, which holds the tenant's row until it ends. */
    private boolean spendIn(String tenant, int requests, int writes, int requestLimit, int writeLimit) {
        jdbc.queryForList("SELECT tenant FROM tenant_throttle WHERE tenant = ? FOR UPDATE", tenant);
        Map<String, Object> spent = jdbc.queryForMap("SELECT COALESCE(SUM(requests), 0) AS requests, "
                + "COALESCE(SUM(writes), 0) AS writes " + IN_WINDOW, tenant);
        SpendWindow.Spent now = new SpendWindow.Spent(((Number) spent.get("requests")).intValue(),
                ((Number) spent.get("writes")).intValue(), Instant.MIN, null);
        if (!now.admits(requests, writes, requestLimit, writeLimit)) {
            return false;
        }
        jdbc.update("INSERT INTO graph_spend (tenant, spent_at, requests, writes) VALUES (?, CURRENT_TIMESTAMP, ?, ?)",
                tenant, requests, writes);
        return true;
    }

    private void holdIn(String tenant, Instant until) {
        jdbc.update("UPDATE tenant_throttle SET hold_until = ? WHERE tenant = ? AND (hold_until IS NULL OR hold_until < ?)",
                Timestamp.from(until), tenant, Timestamp.from(until));
    }

    /** Forgets spends long out of the window, so the table stays small. */
    public void forgetOldSpends() {
        jdbc.update("DELETE FROM graph_spend WHERE spent_at < CURRENT_TIMESTAMP - INTERVAL '2 minutes'");
    }

    private static Instant instant(Object value, Instant none) {
        return value == null ? none : ((Timestamp) value).toInstant();
    }
}
