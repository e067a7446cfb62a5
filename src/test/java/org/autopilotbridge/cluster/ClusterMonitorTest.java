package org.autopilotbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.autopilotbridge.ledger.InstanceLedger;
import org.autopilotbridge.ledger.SharedSpendWindow;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.testing.FullDisk;
import org.autopilotbridge.testing.H2Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The cluster health entry over a real embedded ledger: readable and not, writable and not. */
class ClusterMonitorTest {

    @TempDir
    Path dir;

    @Test
    void aLedgerThatCannotBeReadMakesTheEntryDownWithTheReason() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir);
        ClusterMonitor monitor = new ClusterMonitor(ledger.instance(),
                new InstanceLedger(ledger.jdbc(), ledger.dialect(), ledger.instance()), ledger.dialect(),
                new Incidents(new ServiceEvents()));
        assertThat(monitor.health().getStatus()).isEqualTo(Status.UP);

        ledger.jdbc().execute("DROP TABLE hash_file CASCADE");
        Health health = monitor.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error")).asString().contains("hash_file");
    }

    /**
     * A full disk under the embedded ledger leaves it readable (H2 opens it again from its file) and every write fails:
     * this instance renews no lease and none of its work goes on, which readiness must show, and stop showing once
     * there is room.
     */
    @Test
    void aLedgerThatCannotBeWrittenMakesTheEntryDownUntilItCanBe() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("ledger"));
        // Each commit written at once, as the service's ledger writes it.
        H2Ledger ledger = H2Ledger.open(folder, FullDisk.location(folder.resolve("ledger")) + ";WRITE_DELAY=0", Duration.ZERO);
        InstanceLedger instances = new InstanceLedger(ledger.jdbc(), ledger.dialect(), ledger.instance());
        Incidents incidents = new Incidents(new ServiceEvents());
        DefaultListableBeanFactory none = new DefaultListableBeanFactory();
        LeaseKeeper keeper = new LeaseKeeper(instances, ledger.instance(), ledger.dialect(), none.getBeanProvider(OrphanedWork.class),
                none.getBeanProvider(SharedSpendWindow.class), none.getBeanProvider(InboxReadLock.class),
                incidents);
        ClusterMonitor monitor = new ClusterMonitor(ledger.instance(), instances, ledger.dialect(), incidents);
        keeper.renew();
        assertThat(monitor.health().getStatus()).isEqualTo(Status.UP);

        FullDisk.fill(folder);
        try {
            keeper.renew();
            Health full = monitor.health();
            assertThat(full.getStatus()).isEqualTo(Status.DOWN);
            assertThat(full.getDetails().get("leases")).asString().startsWith("cannot be renewed: ").contains("No space left on device");
        } finally {
            FullDisk.free(folder);
        }

        keeper.renew();
        assertThat(monitor.health().getStatus()).isEqualTo(Status.UP);
    }
}
