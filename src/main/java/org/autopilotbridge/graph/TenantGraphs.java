package org.autopilotbridge.graph;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.RetryProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.install.ConfiguredFiles;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A {@link TenantGraph} for every configured tenant, made once at start: Intune's limits, Retry-After and consent
 * are per app and per tenant, so each tenant has its own token, gate, spend window and outage, and only the HTTP
 * connections and the retry rules are shared.
 */
@Component
public class TenantGraphs implements DisposableBean {

    private final Map<String, TenantGraph> byName = new LinkedHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    TenantGraphs(Tenants tenants, TenantProperties settings, GraphProperties properties, RetryProperties retrySettings,
                 RetryPolicy retry, GraphHttp http, ObjectMapper json, ServiceEvents events, ServiceStopping stopping,
                 ObjectProvider<SpendWindows> shared, ConfiguredFiles files) {
        SpendWindows windows = shared.getIfAvailable(() -> tenant -> new LocalSpendWindow());
        for (Tenant tenant : tenants.all()) {
            AccessTokenProvider tokens = new AccessTokenProvider(tenant,
                    ClientCredentials.of(tenant, files, settings.isDryRunEffective()), http, retry, json, events);
            GraphOutage outage = new GraphOutage(retry, retrySettings, tenants.several() ? " in tenant " + tenant.describe() : "");
            GraphGate gate = new GraphGate(properties.getGraphConcurrency(), tenant.writesPer20s(), tenant.requestsPer20s(),
                    retrySettings.getMaxWait(), windows.of(tenant.name()), stopping);
            GraphCalls calls = new GraphCalls(tokens, http, retry, gate, events, outage);
            JsonBatch batch = new JsonBatch(tenant.graph(), calls, json);
            GraphClient client = new GraphClient(properties, tenant.graph(), calls, batch, json);
            byName.put(tenant.name(), new TenantGraph(tenant, client, new AutopilotDevices(client, batch, json, tenant.graph()),
                    tokens, outage));
        }
    }

    /** The Graph of the tenant of that name, as the ledger records it. */
    public TenantGraph of(String tenant) {
        TenantGraph graph = byName.get(tenant);
        if (graph == null) {
            throw new IllegalStateException("The ledger holds work for tenant " + tenant + ", which is not configured; "
                    + "add it to autopilot.tenants again to finish that work");
        }
        return graph;
    }

    /** Every tenant's Graph, in the order configured. */
    public List<TenantGraph> all() {
        return List.copyOf(byName.values());
    }

    /** The tenants whose Graph cannot be used now: an outage, or a credential or consent refused. */
    public Set<String> held() {
        Set<String> held = new HashSet<>();
        byName.values().stream().filter(g -> g.outage().open().isPresent()).forEach(g -> held.add(g.name()));
        return held;
    }

    /** The names of every configured tenant. */
    public Collection<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The tenants whose work may be claimed now: every configured tenant but those whose Graph cannot be used (an
     * outage, or a credential or consent refused), whose work would only take a worker another tenant's could use,
     * and those given as {@code busy} (their share of workers is in flight). Work of a tenant no longer configured is
     * never claimed: it waits in the ledger for the tenant to be configured again.
     */
    public Set<String> workable(Set<String> busy) {
        Set<String> workable = new HashSet<>(byName.keySet());
        workable.removeAll(busy);
        workable.removeAll(held());
        return workable;
    }

    /**
     * The first work {@code claim} finds for a tenant whose work may be claimed ({@link #workable}), asking the tenants in turn
     * from the one after the tenant that got the last work, so that one tenant's long queue never holds back another's.
     */
    public <T> Optional<T> claimInTurn(Set<String> busy, Function<String, Optional<T>> claim) {
        List<String> names = List.copyOf(byName.keySet());
        Set<String> workable = workable(busy);
        int start = turn.getAndIncrement();
        for (int i = 0; i < names.size(); i++) {
            String tenant = names.get(Math.floorMod(start + i, names.size()));
            if (workable.contains(tenant)) {
                Optional<T> work = claim.apply(tenant);
                if (work.isPresent()) {
                    return work;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void destroy() {
        byName.values().forEach(g -> g.tokens().destroy());
    }
}
