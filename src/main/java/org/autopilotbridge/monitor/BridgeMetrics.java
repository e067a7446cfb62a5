package org.autopilotbridge.monitor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ops.ServiceEvents;
import org.springframework.stereotype.Component;

/**
 * The JMX counters as Micrometer meters (Prometheus at /actuator/prometheus): {@code autopilot_files},
 * {@code autopilot_devices} by outcome, Graph calls, throttled calls, tokens, and when the last error happened (its
 * message is text, which a metric cannot carry: it is the MBean's LastError).
 */
@Component
class BridgeMetrics implements MeterBinder {

    private final BridgeMonitor monitor;
    private final ServiceEvents events;

    BridgeMetrics(BridgeMonitor monitor, ServiceEvents events) {
        this.monitor = monitor;
        this.events = events;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("autopilot.files", monitor, BridgeMonitor::getFilesFinished).tag("status", "finished")
                .description("Files finished").register(registry);
        Gauge.builder("autopilot.files", monitor, BridgeMonitor::getFilesDeadLettered).tag("status", "dead-lettered")
                .description("Files refused as a whole").register(registry);
        Gauge.builder("autopilot.files", monitor, m -> m.getFilesInFlight().length).tag("status", "in-flight")
                .description("Files being read or followed").register(registry);
        for (Outcome outcome : Outcome.values()) {
            if (outcome == Outcome.UPDATING) {
                // Not final: such a device is on its way, counted in pending below.
                continue;
            }
            Gauge.builder("autopilot.devices", monitor, m -> m.deviceCount(outcome)).tag("outcome", outcome.label())
                    .description("Devices by outcome").register(registry);
        }
        Gauge.builder("autopilot.devices", monitor, BridgeMonitor::getDevicesPending).tag("outcome", "pending")
                .description("Devices on their way").register(registry);
        Gauge.builder("autopilot.devices", monitor, BridgeMonitor::getDevicesWaitingForProfile).tag("outcome", "waiting-for-profile")
                .description("Imported or updated devices waiting for their deployment profile").register(registry);
        // Two counters rather than a summary of each file: their rates divided give not-assigned devices per file.
        FunctionCounter.builder("autopilot.profile.files", events, ServiceEvents::profileFiles)
                .description("Files finished whose devices were followed for their deployment profile").register(registry);
        FunctionCounter.builder("autopilot.profile.not.assigned", events, ServiceEvents::profilesNotAssigned)
                .description("Devices of those files whose deployment profile was not assigned").register(registry);
        FunctionCounter.builder("autopilot.graph.calls", monitor, BridgeMonitor::getGraphCalls)
                .description("Graph calls, retries included").register(registry);
        FunctionCounter.builder("autopilot.graph.throttled", monitor, BridgeMonitor::getThrottledCalls)
                .description("Graph calls answered 429").register(registry);
        FunctionCounter.builder("autopilot.tokens", monitor, BridgeMonitor::getTokenRefreshes)
                .description("Access tokens obtained").register(registry);
        Gauge.builder("autopilot.last.error.timestamp", events,
                        e -> e.lastError() == null ? Double.NaN : e.lastError().at().toEpochMilli() / 1000.0)
                .baseUnit("seconds").description("When the last error happened (Unix time); none since start: NaN").register(registry);
    }
}
