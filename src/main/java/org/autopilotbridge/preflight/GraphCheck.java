package org.autopilotbridge.preflight;

import java.util.List;
import java.util.Optional;

import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.graph.AccessTokenProvider;
import org.autopilotbridge.graph.GraphClient;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.TokenException;
import org.springframework.stereotype.Component;

/**
 * Whether the service can work with Graph: a token is obtained, it carries the application permission the
 * imports need (read from the token itself, no extra call), and Graph answers one read of the staged records.
 */
@Component
class GraphCheck {

    static final String PERMISSION = "DeviceManagementServiceConfig.ReadWrite.All";
    private static final String GRANT = "in Entra ID > App registrations > the app (autopilot.client-id) > API permissions, "
            + "add Microsoft Graph > Application permissions > " + PERMISSION + " and grant admin consent; new tokens "
            + "carry it within minutes";

    private final TenantProperties tenant;
    private final GraphProperties settings;
    private final AccessTokenProvider tokens;
    private final GraphClient graph;

    GraphCheck(TenantProperties tenant, GraphProperties settings, AccessTokenProvider tokens, GraphClient graph) {
        this.tenant = tenant;
        this.settings = settings;
        this.tokens = tokens;
        this.graph = graph;
    }

    List<CheckResult> check() {
        if (tenant.isDryRunEffective()) {
            String dryRun = "dry run (no autopilot.tenant-id, or autopilot.dry-run=true): Graph is not called";
            return List.of(CheckResult.skip("token", dryRun), CheckResult.skip("permission", dryRun),
                    CheckResult.skip("graph", dryRun));
        }
        String token;
        try {
            token = tokens.token();
        } catch (TokenException e) {
            return List.of(CheckResult.fail("token", e.describe(), AadstsHints.fix(e.getMessage())),
                    CheckResult.skip("permission", "no token"), CheckResult.skip("graph", "no token"));
        }
        return List.of(CheckResult.ok("token", "obtained for tenant " + tenant.getTenantId() + " from " + settings.authority()),
                permission(token), read());
    }

    private CheckResult permission(String token) {
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

    private CheckResult read() {
        String collection = settings.graph() + "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
        try {
            int records = graph.readStagedRecords();
            return CheckResult.ok("graph", "read the staged records at " + collection + " (" + records + " on the first page)");
        } catch (GraphException e) {
            return CheckResult.fail("graph", "reading " + collection + " failed: " + e.describe(), switch (e.status()) {
                case 401, 403 -> GRANT;
                case 0 -> "check that this server reaches " + settings.graph().getHost() + " (firewall, DNS, autopilot.proxy-url)";
                default -> "check autopilot.graph-url and autopilot.cloud; if Graph itself is failing, run the check again later";
            });
        }
    }
}
