package org.autopilotbridge.monitor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.graph.AccessTokenProvider;
import org.autopilotbridge.graph.GraphOutage;
import org.autopilotbridge.graph.TenantGraph;
import org.autopilotbridge.graph.TenantGraphs;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Whether the service can sign in to Graph: a valid token, cached, so a health check costs no call. A probe answers
 * within a second even while the token endpoint is down and the service is backing off: DOWN with the last AADSTS
 * reason, and DOWN with the reason during an outage ({@link GraphOutage}). With several tenants, {@code graph} holds
 * one entry per tenant, so that ops see which tenant is down and why while the others work.
 */
@Configuration(proxyBeanMethods = false)
class GraphHealth {

    /**
     * How long a probe may wait for the first try of a token fetch (not for one backing off after a failure); with
     * the preflight checks' wait, readiness answers within a second.
     */
    private static final Duration PATIENCE = Duration.ofMillis(300);

    @Bean("graph")
    HealthContributor graphHealth(TenantProperties settings, TenantGraphs graphs) {
        if (settings.isDryRunEffective()) {
            return (HealthIndicator) () -> Health.up().withDetail("mode", "dry run: Graph is not called").build();
        }
        if (graphs.all().size() == 1) {
            return indicator(graphs.all().get(0));
        }
        Map<String, HealthIndicator> byTenant = new LinkedHashMap<>();
        graphs.all().forEach(graph -> byTenant.put(graph.name(), indicator(graph)));
        return CompositeHealthContributor.fromMap(byTenant);
    }

    private static HealthIndicator indicator(TenantGraph graph) {
        String tenant = graph.tenant().tenantId();
        return () -> {
            Optional<GraphOutage.Open> down = graph.outage().open();
            if (down.isPresent()) {
                return Health.down().withDetail("tenant", tenant)
                        .withDetail("error", down.get().reason())
                        .withDetail("since", down.get().since().toString())
                        .withDetail("work", "waits, and goes on once Graph answers; nothing is failed for it").build();
            }
            AccessTokenProvider.Status status = graph.tokens().status(PATIENCE);
            if (status.valid()) {
                return Health.up().withDetail("tenant", tenant).withDetail("graph", graph.tenant().graph()).build();
            }
            return Health.down().withDetail("tenant", tenant)
                    .withDetail("error", status.failure() == null ? "obtaining an access token" : status.failure().describe())
                    .build();
        };
    }
}
