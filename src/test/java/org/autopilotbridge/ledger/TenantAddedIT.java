package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.graph.SpendWindow;
import org.autopilotbridge.testing.PostgresLedger;
import org.autopilotbridge.testing.TestTenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * On the PostgreSQL ledger several instances share: a tenant added to the configuration of a ledger that served
 * others gets its own sync and throttling rows at the service's next start, and its budget and hold are its own from
 * its first call.
 */
@ExtendWith(OutputCaptureExtension.class)
class TenantAddedIT {

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    @Test
    void aTenantAddedToARunningLedgerGetsItsOwnSyncAndBudgetAtTheNextStart() {
        JdbcTemplate jdbc = LEDGER.jdbc();
        FolderProperties folders = new FolderProperties();
        new TenantLedger(jdbc, TestTenants.several(folders, "contoso")).requestSync("contoso");

        // The next start, with fabrikam added to autopilot.tenants.
        TenantLedger restarted = new TenantLedger(jdbc, TestTenants.several(folders, "contoso", "fabrikam"));
        restarted.requestSync("fabrikam");
        assertThat(restarted.syncState("fabrikam").requestedAt()).isNotNull();
        assertThat(restarted.syncState("contoso").requestedAt()).as("contoso's wanted sync is kept").isNotNull();

        SharedSpendWindow windows = new SharedSpendWindow(jdbc, new DataSourceTransactionManager(LEDGER.dataSource()));
        SpendWindow fabrikam = windows.of("fabrikam");
        Instant hold = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
        assertThat(fabrikam.spend(1, 1, 10, 10)).isTrue();
        fabrikam.holdUntil(hold);

        assertThat(fabrikam.spent().writes()).isEqualTo(1);
        assertThat(fabrikam.spent().holdUntil()).isEqualTo(hold);
        assertThat(windows.of("contoso").spent().writes()).as("contoso's budget is its own").isZero();
        assertThat(windows.of("contoso").spent().holdUntil()).isEqualTo(Instant.MIN);
    }

    @Test
    void aStartWhoseConfigurationNoLongerNamesATenantWithUnfinishedFilesSaysSo(CapturedOutput log) {
        JdbcTemplate jdbc = LEDGER.jdbc();
        jdbc.update("""
                INSERT INTO hash_file (name, source, sha256, size_bytes, status, dry_run, received_at, tenant)
                VALUES ('left.csv', 'inbox', ?, 10, 'RECORDED', FALSE, CURRENT_TIMESTAMP, 'northwind')""", "c".repeat(64));

        new TenantLedger(jdbc, TestTenants.several(new FolderProperties(), "contoso"));

        assertThat(log.getOut()).contains("The ledger holds unfinished files of tenant northwind, which the configuration "
                + "no longer names: their devices wait until the tenant is configured again");
    }
}
