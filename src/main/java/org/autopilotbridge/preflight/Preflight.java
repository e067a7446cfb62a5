package org.autopilotbridge.preflight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.install.AutopilotHome;
import org.autopilotbridge.install.RequiredRoutes;
import org.autopilotbridge.install.StartupRefusedException;
import org.autopilotbridge.ops.ConsoleProperties;
import org.autopilotbridge.tenant.Tenants;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Every check an admin needs before the first real file, in the order of a file's journey: configuration, routes,
 * console, folders, ledger, Graph (token, permission, a read) and each vendor's server. Nothing is created, written or
 * imported. {@code --check} prints them; the readiness health shows them.
 */
@Component("preflightChecks")
class Preflight {

    private final FolderProperties folders;
    private final Tenants tenants;
    private final TenantProperties tenant;
    private final GraphProperties graphSettings;
    private final VendorProperties vendorSettings;
    private final ConsoleProperties console;
    private final Environment environment;
    private final LedgerCheck ledger;
    private final GraphCheck graph;
    private final VendorCheck vendors;
    /** The running service's Camel; none in {@code --check}, which starts no Camel. */
    private final ObjectProvider<CamelContext> camel;

    Preflight(FolderProperties folders, Tenants tenants, TenantProperties tenant, GraphProperties graphSettings, VendorProperties vendorSettings,
              ConsoleProperties console, Environment environment, LedgerCheck ledger, GraphCheck graph, VendorCheck vendors,
              ObjectProvider<CamelContext> camel) {
        this.folders = folders;
        this.tenants = tenants;
        this.tenant = tenant;
        this.graphSettings = graphSettings;
        this.vendorSettings = vendorSettings;
        this.console = console;
        this.environment = environment;
        this.ledger = ledger;
        this.graph = graph;
        this.vendors = vendors;
        this.camel = camel;
    }

    public List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.ok("configuration", configuration()));
        results.add(routes());
        results.add(console());
        results.addAll(FolderCheck.check(folders, tenants));
        results.add(ledger.check());
        results.addAll(graph.check());
        results.addAll(vendors.check());
        return results;
    }

    /** The configuration was bound and validated, or nothing here would run: what it says, in short. */
    private String configuration() {
        Path file = folders.getHome().resolve("config").resolve("application.yml");
        return "valid; home " + folders.getHome() + ", " + (Files.isRegularFile(file) ? file : "built-in defaults (no " + file + ")")
                + (tenant.isDryRunEffective() ? "; dry run: nothing is sent to Graph"
                : "; tenant " + tenant.getTenantId() + ", client " + tenant.getClientId() + ", Graph " + graphSettings.graph())
                + "; " + vendorSettings.getVendors().size() + " vendor(s)";
    }

    /** Who may open the console; a console nobody can log in to yet is no failure, but says how to open it. */
    private CheckResult console() {
        if (!console.isLogin()) {
            return CheckResult.ok("console", "no login (autopilot.console.login=false): open to requests addressed to this machine");
        }
        if (console.isClosed()) {
            return CheckResult.skip("console", "no login is set, so the console and every endpoint but health answer 401; "
                    + "to open them, " + ConsoleProperties.HOW_TO_LOG_IN);
        }
        return CheckResult.ok("console", "login as " + console.getUser());
    }

    /** The route files read and checked as start-up reads and checks them: each parses, none is missing. */
    private CheckResult routes() {
        String pattern = environment.getProperty(AutopilotHome.ROUTES_KEY);
        try {
            CamelContext running = camel.getIfAvailable();
            RequiredRoutes.Found found = running == null ? RequiredRoutes.verify(pattern) : RequiredRoutes.verify(running, pattern);
            return CheckResult.ok("routes", found.files() + " route file(s) at " + pattern
                    + " define " + found.routes() + " routes, every required one among them");
        } catch (StartupRefusedException e) {
            return CheckResult.fail("routes", e.getMessage(), e.action());
        }
    }
}
