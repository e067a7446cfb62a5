package org.autopilotbridge.preflight;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.TenantGraph;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.graph.TokenException;
import org.autopilotbridge.tenant.Tenant;
import org.springframework.stereotype.Component;

/**
 * Whether the service can work with Graph: a token is obtained, it carries the application permission the
 * imports need (read from the token itself, no extra call), and Graph answers one read of the staged records; in
 * each tenant, since consent and permissions are granted per tenant.
 */
@Component
class GraphCheck {

    static final String PERMISSION = "DeviceManagementServiceConfig.ReadWrite.All";
    private static final String GRANT = "in Entra ID > App registrations > the app (autopilot.client-id) > API permissions, "
            + "add Microsoft Graph > Application permissions > " + PERMISSION + " and grant admin consent; new tokens "
            + "carry it within minutes";

    private final TenantProperties tenant;
    private final TenantGraphs graphs;

    GraphCheck(TenantProperties tenant, TenantGraphs graphs) {
        this.tenant = tenant;
        this.graphs = graphs;
    }

    /** The token, permission and Graph checks of every tenant; with several, each check names its tenant. */
    List<CheckResult> check() {
        if (tenant.isDryRunEffective()) {
            String dryRun = "dry run (no autopilot.tenant-id or autopilot.tenants, or autopilot.dry-run=true): Graph is not called";
            return List.of(CheckResult.skip("token", dryRun), CheckResult.skip("permission", dryRun),
                    CheckResult.skip("graph", dryRun));
        }
        List<TenantGraph> all = graphs.all();
        List<CheckResult> results = new ArrayList<>();
        for (TenantGraph graph : all) {
            String suffix = all.size() > 1 ? " (" + graph.name() + ")" : "";
            check(graph).forEach(r -> results.add(new CheckResult(r.name() + suffix, r.status(), r.detail(), r.fix())));
        }
        return results;
    }

    private static List<CheckResult> check(TenantGraph graph) {
        String token;
        try {
            token = graph.tokens().token();
        } catch (TokenException e) {
            return List.of(CheckResult.fail("token", e.describe(), AadstsHints.fix(e.getMessage())),
                    CheckResult.skip("permission", "no token"), CheckResult.skip("graph", "no token"));
        }
        Tenant tenant = graph.tenant();
        return List.of(CheckResult.ok("token", "obtained for tenant " + tenant.tenantId() + " from " + tenant.authority()),
                permission(token), read(graph));
    }

    private static CheckResult permission(String token) {
        Optional<List<String>> roles = TokenRoles.of(token);
        if (roles.isEmpty()) {
            return CheckResult.skip("permission", "the access token is not a JWT that can be read, so its roles are "
                    + "unknown; the Graph read below shows whether " + PERMISSION + " is granted");
        }
        if (roles.get().contains(PERMISSION)) {
            return CheckResult.ok("permission", "the token carries " + PERMISSION);
        }
        return CheckResult.fail("permission", "the token lacks " + PERMISSION + (roles.get().isEmpty()
                ? ": it carries no application permission at all" : "; it carries " + String.join(", ", roles.get())), GRANT);
    }

    private static CheckResult read(TenantGraph graph) {
        URI graphUrl = graph.tenant().graph();
        String collection = graphUrl + "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
        try {
            int records = graph.client().readStagedRecords();
            return CheckResult.ok("graph", "read the staged records at " + collection + " (" + records + " on the first page)");
        } catch (GraphException e) {
            return CheckResult.fail("graph", "reading " + collection + " failed: " + e.describe(), switch (e.status()) {
                case 401, 403 -> GRANT;
                case 0 -> "check that this server reaches " + graphUrl.getHost() + " (firewall, DNS, autopilot.proxy-url)";
                default -> "check autopilot.graph-url and autopilot.cloud; if Graph itself is failing, run the check again later";
            });
        }
    }
}
