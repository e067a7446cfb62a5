package org.autopilotbridge.monitor;

import java.util.List;
import java.util.Map;

import org.autopilotbridge.graph.TenantGraph;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.ledger.BatchLedger;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.FileStatus;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.ProfileLedger;
import org.autopilotbridge.ledger.SyncState;
import org.autopilotbridge.ledger.TenantCounts;
import org.autopilotbridge.ledger.TenantLedger;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.sync.AutopilotSync;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The service as ops see it over JMX, beside Camel's own route MBeans: what came in, where it ended, what is
 * still on its way, how Graph is treating the service, and two levers. Counts come from the ledger, so they
 * cover the service's whole history, not only the time since the last start.
 */
@Component
@ManagedResource(objectName = BridgeMonitor.OBJECT_NAME, description = "autopilot-bridge: files, devices, Graph")
public class BridgeMonitor {

    public static final String OBJECT_NAME = "org.autopilotbridge:type=Service,name=AutopilotBridge";

    private final FileLedger files;
    private final BatchLedger batches;
    private final DeviceLedger devices;
    private final TenantLedger tenant;
    private final ServiceEvents events;
    private final TenantGraphs graphs;
    private final AutopilotSync sync;
    private final ProfileLedger profiles;
    private final TenantCounts counts;

    BridgeMonitor(FileLedger files, BatchLedger batches, DeviceLedger devices, TenantLedger tenant,
                         ServiceEvents events, TenantGraphs graphs, AutopilotSync sync, ProfileLedger profiles, TenantCounts counts) {
        this.profiles = profiles;
        this.counts = counts;
        this.files = files;
        this.batches = batches;
        this.devices = devices;
        this.tenant = tenant;
        this.events = events;
        this.graphs = graphs;
        this.sync = sync;
    }

    @ManagedAttribute(description = "Files taken in, from the drop folder and the vendors")
    public long getFilesReceived() {
        return files().values().stream().mapToLong(Long::longValue).sum();
    }

    @ManagedAttribute(description = "Files with every line final and their reports written")
    public long getFilesFinished() {
        return files().getOrDefault(FileStatus.FINISHED, 0L);
    }

    @ManagedAttribute(description = "Files refused as a whole and moved to dead-letter")
    public long getFilesDeadLettered() {
        return files().getOrDefault(FileStatus.REFUSED, 0L);
    }

    @ManagedAttribute(description = "Devices registered")
    public long getDevicesImported() {
        return deviceCount(Outcome.IMPORTED);
    }

    @ManagedAttribute(description = "Devices already registered in the tenant (806) or by this service before")
    public long getDevicesAlreadyRegistered() {
        return deviceCount(Outcome.ALREADY_REGISTERED);
    }

    @ManagedAttribute(description = "Devices registered to another tenant (808)")
    public long getDevicesOtherTenant() {
        return deviceCount(Outcome.OTHER_TENANT);
    }

    @ManagedAttribute(description = "Registered devices whose group tag or user was changed as a file asked")
    public long getDevicesUpdated() {
        return deviceCount(Outcome.UPDATED);
    }

    @ManagedAttribute(description = "Devices Graph refused or could not import, or that timed out")
    public long getDevicesFailed() {
        return deviceCount(Outcome.FAILED) + deviceCount(Outcome.TIMEOUT);
    }

    @ManagedAttribute(description = "Lines refused before sending (invalid rows)")
    public long getDevicesRejected() {
        return deviceCount(Outcome.REJECTED);
    }

    @ManagedAttribute(description = "Devices on their way: recorded, sent, being followed or being updated")
    public long getDevicesPending() {
        return devices.pendingDeviceCount();
    }

    @ManagedAttribute(description = "Imported or updated devices waiting for their deployment profile (autopilot.profile-wait)")
    public long getDevicesWaitingForProfile() {
        return profiles.waiting();
    }

    @ManagedAttribute(description = "Devices of files finished since start whose deployment profile was not assigned")
    public long getDevicesWithoutProfile() {
        return events.profilesNotAssigned();
    }

    @ManagedAttribute(description = "Graph calls made since start, retries included")
    public long getGraphCalls() {
        return events.graphCalls();
    }

    @ManagedAttribute(description = "Graph calls answered 429 (throttled) since start")
    public long getThrottledCalls() {
        return events.throttledCalls();
    }

    @ManagedAttribute(description = "Access tokens obtained since start, for every tenant")
    public long getTokenRefreshes() {
        return graphs.all().stream().mapToLong(g -> g.tokens().tokensFetched()).sum();
    }

    @ManagedAttribute(description = "The last error, with its time (UTC)")
    public String getLastError() {
        ServiceEvents.LastError last = events.lastError();
        return last == null ? "" : last.at() + " " + last.message();
    }

    @ManagedAttribute(description = "The last Autopilot sync, and whether one is wanted (per tenant, when there are several)")
    public String getLastSync() {
        List<String> names = List.copyOf(graphs.names());
        return names.size() == 1 ? lastSync(names.get(0))
                : String.join(" | ", names.stream().map(name -> name + ": " + lastSync(name)).toList());
    }

    private String lastSync(String name) {
        SyncState state = tenant.syncState(name);
        return (state.lastSyncAt() == null ? "never" : state.lastSyncAt().toString())
                + (state.requestedAt() == null ? "" : "; wanted since " + state.requestedAt()
                + (state.nextTryAt() == null ? "" : ", next try " + state.nextTryAt()));
    }

    @ManagedAttribute(description = "Per tenant: its files and devices, and whether its Graph works or is held, why and since when")
    public String[] getTenants() {
        Map<String, TenantCounts.Counts> byTenant = counts.byTenant();
        return graphs.all().stream().map(graph -> tenantLine(graph, byTenant.getOrDefault(graph.name(), TenantCounts.Counts.NONE)))
                .toArray(String[]::new);
    }

    private static String tenantLine(TenantGraph graph, TenantCounts.Counts counts) {
        long received = counts.files().values().stream().mapToLong(Long::longValue).sum();
        String held = graph.outage().open().map(open -> "held since " + open.since() + ": " + open.reason()).orElse("working");
        return graph.tenant().describe() + ": files " + received + " received, " + counts.files(FileStatus.FINISHED) + " finished, "
                + counts.files(FileStatus.REFUSED) + " dead-lettered, " + counts.filesInFlight() + " in flight; devices "
                + counts.devices(Outcome.IMPORTED) + " imported, " + counts.pending() + " pending, "
                + (counts.devices(Outcome.FAILED) + counts.devices(Outcome.TIMEOUT)) + " failed; Graph " + held;
    }

    @ManagedAttribute(description = "Files in flight: lines final out of lines recorded")
    public String[] getFilesInFlight() {
        List<String> progress = files.fileProgress();
        return progress.toArray(String[]::new);
    }

    @ManagedOperation(description = "Request an Autopilot sync now in every tenant (Graph still allows one per 10 minutes)")
    public String syncNow() {
        graphs.names().forEach(tenant::requestSync);
        return sync.syncIfDue() ? "sync requested" : "sync wanted; " + getLastSync();
    }

    @ManagedOperation(description = "Poll every batch being followed now instead of at its next poll time")
    public int recheckPendingNow() {
        // Due in the ledger: track polls them when routes/85-backstop.camel.yaml next wakes it, within seconds.
        return batches.pollAllNow();
    }

    private Map<FileStatus, Long> files() {
        return files.fileCountsByStatus();
    }

    /** Devices with this outcome, over the whole history. */
    private long deviceCount(Outcome outcome) {
        return devices.deviceCount(outcome);
    }

}
