package org.autopilotbridge.monitor;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.autopilotbridge.graph.AccessTokenProvider;
import org.autopilotbridge.graph.TenantGraph;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.ledger.FileStatus;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.TenantCounts;
import org.autopilotbridge.ops.ServiceEvents;
import org.springframework.stereotype.Component;

/**
 * The JMX counters as Micrometer meters (Prometheus at /actuator/prometheus), per tenant (label {@code tenant}; a
 * single-tenant service's is {@code default}): {@code autopilot_files} by status and {@code autopilot_devices} by
 * outcome, read from the ledger at most once a second however many gauges and tenants a scrape reads; tokens and
 * whether the tenant's Graph is held. Graph calls and throttled calls are the instance's, and when the last error
 * happened (its message is text, which a metric cannot carry: it is the MBean's LastError).
 */
@Component
class BridgeMetrics implements MeterBinder {

    /** How long one read of the ledger's counts serves the gauges: one scrape reads them all within it. */
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final BridgeMonitor monitor;
    private final ServiceEvents events;
    private final TenantCounts ledger;
    private final TenantGraphs graphs;
    private Map<String, TenantCounts.Counts> counts;
    private long countedAt;

    BridgeMetrics(BridgeMonitor monitor, ServiceEvents events, TenantCounts ledger, TenantGraphs graphs) {
        this.monitor = monitor;
        this.events = events;
        this.ledger = ledger;
        this.graphs = graphs;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TenantGraph graph : graphs.all()) {
            bindTenant(registry, graph);
        }
        // Two counters rather than a summary of each file: their rates divided give not-assigned devices per file.
        FunctionCounter.builder("autopilot.profile.files", events, ServiceEvents::profileFiles)
                .description("Files finished whose devices were followed for their deployment profile").register(registry);
        FunctionCounter.builder("autopilot.profile.not.assigned", events, ServiceEvents::profilesNotAssigned)
                .description("Devices of those files whose deployment profile was not assigned").register(registry);
        FunctionCounter.builder("autopilot.graph.calls", monitor, BridgeMonitor::getGraphCalls)
                .description("Graph calls, retries included").register(registry);
        FunctionCounter.builder("autopilot.graph.throttled", monitor, BridgeMonitor::getThrottledCalls)
                .description("Graph calls answered 429").register(registry);
        Gauge.builder("autopilot.last.error.timestamp", events,
                        e -> e.lastError() == null ? Double.NaN : e.lastError().at().toEpochMilli() / 1000.0)
                .baseUnit("seconds").description("When the last error happened (Unix time); none since start: NaN").register(registry);
    }

    private void bindTenant(MeterRegistry registry, TenantGraph graph) {
        String tenant = graph.name();
        Gauge.builder("autopilot.files", () -> counts(tenant).files(FileStatus.FINISHED)).tag("status", "finished").tag("tenant", tenant)
                .description("Files finished").register(registry);
        Gauge.builder("autopilot.files", () -> counts(tenant).files(FileStatus.REFUSED)).tag("status", "dead-lettered").tag("tenant", tenant)
                .description("Files refused as a whole").register(registry);
        Gauge.builder("autopilot.files", () -> counts(tenant).filesInFlight()).tag("status", "in-flight").tag("tenant", tenant)
                .description("Files being read or followed").register(registry);
        for (Outcome outcome : Outcome.values()) {
            if (outcome == Outcome.UPDATING) {
                // Not final: such a device is on its way, counted in pending below.
                continue;
            }
            Gauge.builder("autopilot.devices", () -> counts(tenant).devices(outcome)).tag("outcome", outcome.label()).tag("tenant", tenant)
                    .description("Devices by outcome").register(registry);
        }
        Gauge.builder("autopilot.devices", () -> counts(tenant).pending()).tag("outcome", "pending").tag("tenant", tenant)
                .description("Devices on their way").register(registry);
        Gauge.builder("autopilot.devices", () -> counts(tenant).waitingForProfile()).tag("outcome", "waiting-for-profile")
                .tag("tenant", tenant).description("Imported or updated devices waiting for their deployment profile").register(registry);
        FunctionCounter.builder("autopilot.tokens", graph.tokens(), AccessTokenProvider::tokensFetched).tag("tenant", tenant)
                .description("Access tokens obtained").register(registry);
        Gauge.builder("autopilot.graph.held", graph.outage(), outage -> outage.open().isPresent() ? 1 : 0).tag("tenant", tenant)
                .description("1 while the tenant's Graph cannot be used (an outage, or its credential or consent refused): "
                        + "its work waits; else 0").register(registry);
    }

    /** The tenant's counts as the ledger held them at most a second ago. */
    private synchronized TenantCounts.Counts counts(String tenant) {
        long now = System.nanoTime();
        if (counts == null || now - countedAt >= FRESH.toNanos()) {
            counts = ledger.byTenant();
            countedAt = now;
        }
        return counts.getOrDefault(tenant, TenantCounts.Counts.NONE);
    }
}
