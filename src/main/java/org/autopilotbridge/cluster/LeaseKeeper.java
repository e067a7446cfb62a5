package org.autopilotbridge.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.autopilotbridge.ledger.InstanceLedger;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ledger.SharedSpendWindow;
import org.autopilotbridge.ledger.ThisInstance;
import org.autopilotbridge.ops.Incidents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's leases its own: a sign of life and a renewal of every lease it holds three times per lease
 * period, so that its work is taken over by the others only when it stops renewing (dies, or loses the database).
 * On a shared ledger it also takes over, now and then, the {@link OrphanedWork} of instances that died. Problems are logged once per
 * incident: an instance that cannot reach the database will lose its leases, and says so.
 */
@Component
class LeaseKeeper {

    /** The incident of leases that cannot be renewed: the ledger cannot be written. */
    static final String INCIDENT = "leases";

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final InstanceLedger instances;
    private final ThisInstance instance;
    private final LedgerDialect dialect;
    private final ObjectProvider<OrphanedWork> orphaned;
    private final ObjectProvider<SharedSpendWindow> spends;
    private final ObjectProvider<InboxReadLock> readLocks;
    private final Incidents incidents;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lease-keeper");
        thread.setDaemon(true);
        return thread;
    });

    LeaseKeeper(InstanceLedger instances, ThisInstance instance, LedgerDialect dialect,
                       ObjectProvider<OrphanedWork> orphaned, ObjectProvider<SharedSpendWindow> spends,
                       ObjectProvider<InboxReadLock> readLocks, Incidents incidents) {
        this.spends = spends;
        this.readLocks = readLocks;
        this.instances = instances;
        this.instance = instance;
        this.dialect = dialect;
        this.orphaned = orphaned;
        this.incidents = incidents;
    }

    @PostConstruct
    void start() {
        instances.heartbeat();
        long period = Math.max(1000, instance.lease().toMillis() / 3);
        renewals.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
        LOG.info("Instance {} on the {} ledger; leases last {} s", instance.id(), dialect.shared() ? "shared" : "embedded",
                instance.lease().toSeconds());
    }

    void renew() {
        if (renewLeases() && dialect.shared()) {
            // A failure here is not this instance's leases: it has its own incident, not readiness's.
            try {
                orphaned.orderedStream().forEach(OrphanedWork::takeOver);
                spends.ifAvailable(SharedSpendWindow::forgetOldSpends);
                incidents.working(LOG, "Taking over the work of stopped instances");
            } catch (RuntimeException e) {
                incidents.failing(LOG, "Taking over the work of stopped instances", Incidents.describe(e));
            }
        }
    }

    /** True when this instance's leases and read locks are its own for another lease period. */
    private boolean renewLeases() {
        try {
            instances.heartbeat();
            instances.renewLeases();
            readLocks.ifAvailable(InboxReadLock::keepAlive);
            if (incidents.ended(INCIDENT)) {
                LOG.info("Instance {} renews its leases again", instance.id());
            }
            return true;
        } catch (RuntimeException e) {
            if (incidents.started(INCIDENT, Incidents.describe(e))) {
                LOG.error("Instance {} cannot renew its leases: {}. Its work passes to other instances when the leases "
                        + "run out ({} s).", instance.id(), Incidents.describe(e), instance.lease().toSeconds());
            }
            return false;
        }
    }

    @PreDestroy
    void stop() {
        renewals.shutdownNow();
    }
}
