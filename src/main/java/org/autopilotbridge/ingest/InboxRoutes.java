package org.autopilotbridge.ingest;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.camel.spi.RouteTemplateParameterSource;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.springframework.stereotype.Component;

/**
 * With several tenants (autopilot.tenants), one route per tenant's inbox from the {@code tenant-inbox} template in
 * routes/10-inbox.camel.yaml, with the stable id {@code inbox-<tenant>}; a single-tenant service has none, only the
 * {@code inbox} route. Camel asks this source for its routes when the context starts.
 */
@Component
class InboxRoutes implements RouteTemplateParameterSource {

    static final String TEMPLATE = "tenant-inbox";
    static final String ROUTE_PREFIX = "inbox-";

    private final Tenants tenants;

    InboxRoutes(Tenants tenants) {
        this.tenants = tenants;
    }

    @Override
    public Set<String> routeIds() {
        Set<String> ids = new LinkedHashSet<>();
        if (tenants.several()) {
            tenants.all().forEach(t -> ids.add(ROUTE_PREFIX + t.name()));
        }
        return ids;
    }

    @Override
    public Map<String, Object> parameters(String routeId) {
        Tenant tenant = tenants.get(routeId.substring(ROUTE_PREFIX.length()));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(TEMPLATE_ID, TEMPLATE);
        parameters.put("tenant", tenant.name());
        parameters.put("folder", tenant.folders().inbox().toString());
        return parameters;
    }
}
