package org.autopilotbridge.cluster;

import java.util.List;
import java.util.Optional;

import org.autopilotbridge.ledger.InstanceLedger;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ledger.ThisInstance;
import org.autopilotbridge.ops.Incidents;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * This instance among the others, for ops: over JMX ({@value #OBJECT_NAME}) and as the {@code cluster} health
 * entry. Which instance it is, how many are alive on the ledger, and the work it holds leased: files it reads or
 * reports, batches it sends, follows or cleans up. A ledger it cannot read makes the entry DOWN with the reason, not
 * the whole health endpoint fail with 500, and so does one it cannot write (its leases cannot be renewed). It is part
 * of readiness.
 */
@Component("cluster")
@ManagedResource(objectName = ClusterMonitor.OBJECT_NAME, description = "autopilot-bridge: this instance and its leases")
public class ClusterMonitor extends AbstractHealthIndicator {

    public static final String OBJECT_NAME = "org.autopilotbridge:type=Cluster,name=ThisInstance";

    private final ThisInstance instance;
    private final InstanceLedger instances;
    private final LedgerDialect dialect;
    private final Incidents incidents;

    ClusterMonitor(ThisInstance instance, InstanceLedger instances, LedgerDialect dialect, Incidents incidents) {
        super("The cluster health entry cannot read the ledger");
        this.instance = instance;
        this.instances = instances;
        this.dialect = dialect;
        this.incidents = incidents;
    }

    @ManagedAttribute(description = "This instance's name in the ledger (autopilot.cluster.instance-id)")
    public String getInstanceId() {
        return instance.id();
    }

    @ManagedAttribute(description = "The ledger: embedded (H2, one instance) or shared (PostgreSQL)")
    public String getLedger() {
        return dialect.shared() ? "shared" : "embedded";
    }

    @ManagedAttribute(description = "Instances with a sign of life within the last lease period, this one included")
    public int getLiveInstances() {
        return instances.liveInstances();
    }

    @ManagedAttribute(description = "Work leased to this instance: files read or reported, batches sent, followed, cleaned up")
    public String[] getLeasedWork() {
        return instances.leasedWork().toArray(String[]::new);
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        List<String> leased = instances.leasedWork();
        // A ledger that can be read but not written (a full disk, a database failed over to a read-only copy): this
        // instance keeps no lease, and none of its work goes on.
        Optional<String> unrenewed = incidents.ongoing(LeaseKeeper.INCIDENT);
        unrenewed.map(reason -> health.down().withDetail("leases", "cannot be renewed: " + reason)).orElseGet(health::up)
                .withDetail("instance", instance.id()).withDetail("ledger", getLedger())
                .withDetail("liveInstances", instances.liveInstances()).withDetail("leased", leased);
    }
}
