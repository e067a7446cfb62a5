package org.autopilotbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.autopilotbridge.ledger.InstanceLedger;
import org.autopilotbridge.testing.H2Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The cluster health entry over a real embedded ledger, readable and not. */
class ClusterMonitorTest {

    @TempDir
    Path dir;

    @Test
    void aLedgerThatCannotBeReadMakesTheEntryDownWithTheReason() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir);
        ClusterMonitor monitor = new ClusterMonitor(ledger.instance(),
                new InstanceLedger(ledger.jdbc(), ledger.dialect(), ledger.instance()), ledger.dialect());
        assertThat(monitor.health().getStatus()).isEqualTo(Status.UP);

        // As a full disk leaves the embedded ledger: its tables cannot be read.
        ledger.jdbc().execute("DROP TABLE hash_file CASCADE");
        Health health = monitor.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error")).asString().contains("hash_file");
    }
}
