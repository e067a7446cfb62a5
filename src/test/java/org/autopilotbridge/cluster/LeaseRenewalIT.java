package org.autopilotbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.autopilotbridge.ledger.InstanceLedger;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ledger.SharedSpendWindow;
import org.autopilotbridge.ledger.ThisInstance;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.testing.PostgresLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.health.Status;

/**
 * On a shared ledger the renewal also takes over the work of stopped instances. That work failing (a shared inbox
 * that cannot be written) is not this instance's leases failing: they were renewed, and readiness must stay UP.
 */
class LeaseRenewalIT {

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    @Test
    void workOfStoppedInstancesThatCannotBeTakenOverLeavesReadinessUp() throws Exception {
        ThisInstance instance = PostgresLedger.instance("renewing");
        LedgerDialect dialect = LEDGER.dialect();
        InstanceLedger instances = new InstanceLedger(LEDGER.jdbc(), dialect, instance);
        Incidents incidents = new Incidents(new ServiceEvents());
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("unwritableInbox", (OrphanedWork) () -> {
            throw new UncheckedIOException("cannot put fleet.csv back to be read again", new IOException("Read-only file system"));
        });
        LeaseKeeper keeper = new LeaseKeeper(instances, instance, dialect, beans.getBeanProvider(OrphanedWork.class),
                beans.getBeanProvider(SharedSpendWindow.class), beans.getBeanProvider(InboxReadLock.class), incidents);
        ClusterMonitor monitor = new ClusterMonitor(instance, instances, dialect, incidents);

        keeper.renew();

        assertThat(incidents.ongoing("Taking over the work of stopped instances")).hasValueSatisfying(
                reason -> assertThat(reason).contains("Read-only file system"));
        assertThat(monitor.health().getStatus()).isEqualTo(Status.UP);
    }
}
