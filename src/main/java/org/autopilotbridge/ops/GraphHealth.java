package org.autopilotbridge.ops;

import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.graph.AccessTokenProvider;
import org.autopilotbridge.graph.TokenException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Whether the service can sign in to Graph: a valid token (cached, so a health check costs no call). */
@Component("graph")
public class GraphHealth implements HealthIndicator {

    private final AutopilotProperties properties;
    private final AccessTokenProvider tokens;

    public GraphHealth(AutopilotProperties properties, AccessTokenProvider tokens) {
        this.properties = properties;
        this.tokens = tokens;
    }

    @Override
    public Health health() {
        if (properties.isDryRunEffective()) {
            return Health.up().withDetail("mode", "dry run: Graph is not called").build();
        }
        try {
            tokens.token();
            return Health.up().withDetail("tenant", properties.getTenantId()).withDetail("graph", properties.graph()).build();
        } catch (TokenException e) {
            return Health.down().withDetail("tenant", properties.getTenantId()).withDetail("error", e.describe()).build();
        }
    }
}
