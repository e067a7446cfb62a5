package org.autopilotbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.autopilotbridge.ledger.InstanceLedger;
import org.autopilotbridge.ledger.SharedSpendWindow;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.testing.H2Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * On the embedded ledger, too, a renewal takes over the work whose lease ran out: a file's reading that the ledger
 * failed under, left in processing because a file arrived under its name, goes on without a restart.
 */
class LeaseKeeperTest {

    @TempDir
    Path dir;

    @Test
    void aRenewalOnTheEmbeddedLedgerTakesOverWorkLeftHalfDone() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir);
        AtomicInteger takeOvers = new AtomicInteger();
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("ingestRecovery", (OrphanedWork) takeOvers::incrementAndGet);
        Incidents incidents = new Incidents(new ServiceEvents());
        LeaseKeeper keeper = new LeaseKeeper(new InstanceLedger(ledger.jdbc(), ledger.dialect(), ledger.instance()),
                ledger.instance(), ledger.dialect(), beans.getBeanProvider(OrphanedWork.class),
                beans.getBeanProvider(SharedSpendWindow.class), beans.getBeanProvider(InboxReadLock.class), incidents);

        keeper.renew();
        keeper.renew();

        assertThat(ledger.dialect().shared()).isFalse();
        assertThat(takeOvers).hasValue(2);
        assertThat(incidents.ongoing(LeaseKeeper.TAKE_OVER)).isEmpty();
    }
}
