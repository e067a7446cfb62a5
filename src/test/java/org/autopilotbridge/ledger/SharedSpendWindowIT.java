package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.graph.SpendWindow;
import org.autopilotbridge.testing.PostgresLedger;
import org.autopilotbridge.testing.TestTenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The budget window instances share on PostgreSQL: a call that writes nothing is held to the request limit alone. */
class SharedSpendWindowIT {

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    @Test
    void aReadGoesWhileImportsHaveFilledTheWriteWindowAndTheNextWriteWaits() {
        new TenantLedger(LEDGER.jdbc(), TestTenants.several(new FolderProperties(), "contoso")).requestSync("contoso");
        SpendWindow window = new SharedSpendWindow(LEDGER.jdbc(), new DataSourceTransactionManager(LEDGER.dataSource()))
                .of("contoso");
        assertThat(window.spend(100, 100, 1000, 100)).as("a window's worth of imports").isTrue();

        assertThat(window.spend(1, 0, 980, 98)).as("a state read, within a read's share of the requests").isTrue();
        assertThat(window.spend(1, 1, 1000, 100)).as("the next write").isFalse();
        assertThat(window.spent().requests()).isEqualTo(101);
    }
}
