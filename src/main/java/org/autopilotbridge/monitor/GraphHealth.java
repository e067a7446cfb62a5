package org.autopilotbridge.monitor;

import java.time.Duration;
import java.util.Optional;

import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.graph.AccessTokenProvider;
import org.autopilotbridge.graph.GraphOutage;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the service can sign in to Graph: a valid token, cached, so a health check costs no call. A probe answers
 * within a second even while the token endpoint is down and the service is backing off: DOWN with the last AADSTS
 * reason, and DOWN with the reason during an outage ({@link GraphOutage}).
 */
@Component("graph")
public class GraphHealth implements HealthIndicator {

    /**
     * How long a probe may wait for the first try of a token fetch (not for one backing off after a failure); with
     * the preflight checks' wait, readiness answers within a second.
     */
    private static final Duration PATIENCE = Duration.ofMillis(300);

    private final TenantProperties tenant;
    private final GraphProperties graph;
    private final AccessTokenProvider tokens;
    private final GraphOutage outage;

    GraphHealth(TenantProperties tenant, GraphProperties graph, AccessTokenProvider tokens, GraphOutage outage) {
        this.tenant = tenant;
        this.graph = graph;
        this.tokens = tokens;
        this.outage = outage;
    }

    @Override
    public Health health() {
        if (tenant.isDryRunEffective()) {
            return Health.up().withDetail("mode", "dry run: Graph is not called").build();
        }
        Optional<GraphOutage.Open> down = outage.open();
        if (down.isPresent()) {
            return Health.down().withDetail("tenant", tenant.getTenantId())
                    .withDetail("error", down.get().reason())
                    .withDetail("since", down.get().since().toString())
                    .withDetail("work", "waits, and goes on once Graph answers; nothing is failed for it").build();
        }
        AccessTokenProvider.Status status = tokens.status(PATIENCE);
        if (status.valid()) {
            return Health.up().withDetail("tenant", tenant.getTenantId()).withDetail("graph", graph.graph()).build();
        }
        return Health.down().withDetail("tenant", tenant.getTenantId())
                .withDetail("error", status.failure() == null ? "obtaining an access token" : status.failure().describe())
                .build();
    }
}
