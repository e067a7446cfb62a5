package org.autopilotbridge.graph;

import org.autopilotbridge.tenant.Tenant;

/**
 * Graph as one tenant sees it: its token, its calls (lanes, budget, Retry-After hold, retries) and its outage, so
 * that what happens to one tenant's Graph or credential never holds another's work.
 */
public record TenantGraph(Tenant tenant, GraphClient client, AutopilotDevices devices, AccessTokenProvider tokens,
                          GraphOutage outage) {

    /** The tenant's name, as the ledger records it. */
    public String name() {
        return tenant.name();
    }
}
