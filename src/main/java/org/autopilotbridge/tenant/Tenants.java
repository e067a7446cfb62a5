package org.autopilotbridge.tenant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.config.TenantSettings;
import org.springframework.stereotype.Component;

/**
 * The tenants this service serves, resolved once from {@link TenantProperties}: each key a tenant leaves out is the
 * top-level one, and its folders default to a folder named after it in the top-level ones. A single-tenant
 * configuration is one tenant, {@value Tenant#SINGLE}, whose folders are the top-level folders themselves.
 */
@Component
public class Tenants {

    private final Map<String, Tenant> byName;
    private final boolean several;

    public Tenants(TenantProperties tenants, GraphProperties graph, ImportProperties imports, FolderProperties folders) {
        Map<String, Tenant> resolved = new LinkedHashMap<>();
        several = !tenants.getTenants().isEmpty();
        if (several) {
            tenants.getTenants().forEach((name, own) -> resolved.put(name, resolve(name, own, tenants, graph, imports, folders)));
        } else {
            GraphProperties.GraphBudget budget = graph.getGraphBudget();
            resolved.put(Tenant.SINGLE, new Tenant(Tenant.SINGLE, tenants.getTenantId(), tenants.getClientId(),
                    tenants.getClientSecret(), tenants.getClientCertificate(), tenants.getClientCertificatePassword(),
                    graph.authority(), graph.graph(), imports.getGroupTag(), budget.getWritesPer20s(),
                    budget.getRequestsPer20s(), new Tenant.Folders(folders.getInbox(), folders.getDone(), folders.getDeadLetter())));
        }
        byName = Collections.unmodifiableMap(resolved);
    }

    private static Tenant resolve(String name, TenantSettings own, TenantProperties top, GraphProperties graph,
                                  ImportProperties imports, FolderProperties folders) {
        boolean ownCredential = notBlank(own.getClientSecret()) || own.getClientCertificate() != null;
        GraphProperties.Cloud cloud = own.getCloud() != null ? own.getCloud() : graph.getCloud();
        TenantSettings.Budget budget = own.getGraphBudget();
        return new Tenant(name, own.getTenantId(), or(own.getClientId(), top.getClientId()),
                ownCredential ? own.getClientSecret() : top.getClientSecret(),
                ownCredential ? own.getClientCertificate() : top.getClientCertificate(),
                ownCredential ? own.getClientCertificatePassword() : top.getClientCertificatePassword(),
                graph.authority(cloud), graph.graph(cloud), or(own.getGroupTag(), imports.getGroupTag()),
                budget.getWritesPer20s() != null ? budget.getWritesPer20s() : graph.getGraphBudget().getWritesPer20s(),
                budget.getRequestsPer20s() != null ? budget.getRequestsPer20s() : graph.getGraphBudget().getRequestsPer20s(),
                new Tenant.Folders(folder(own.getInbox(), folders.getInbox(), name, folders.getHome()),
                        folder(own.getDone(), folders.getDone(), name, folders.getHome()),
                        folder(own.getDeadLetter(), folders.getDeadLetter(), name, folders.getHome())));
    }

    private static Path folder(Path own, Path top, String name, Path home) {
        return own != null ? home.resolve(own).normalize() : top.resolve(name);
    }

    private static String or(String own, String top) {
        return notBlank(own) ? own : top;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** Every tenant, in the order configured. */
    public List<Tenant> all() {
        return new ArrayList<>(byName.values());
    }

    /** The tenant of that name, if this service serves it. */
    public Optional<Tenant> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The tenant of that name; for a name read from the ledger or a route, which the service itself wrote. */
    public Tenant get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no tenant named " + name + " is configured"));
    }

    /** Whether autopilot.tenants is configured (several customer tenants, each in its own folders). */
    public boolean several() {
        return several;
    }
}
