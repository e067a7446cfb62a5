package org.autopilotbridge.preflight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.install.AutopilotHome;
import org.autopilotbridge.install.RequiredRoutes;
import org.autopilotbridge.install.StartupRefusedException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Every check an admin needs before the first real file, in the order of a file's journey: configuration, routes,
 * folders, ledger, Graph (token, permission, a read) and each vendor's server. Nothing is created, written or
 * imported. {@code --check} prints them; the readiness health shows them.
 */
@Component("preflightChecks")
public class Preflight {

    private final AutopilotProperties properties;
    private final Environment environment;
    private final LedgerCheck ledger;
    private final GraphCheck graph;
    private final VendorCheck vendors;
    /** The running service's Camel; none in {@code --check}, which starts no Camel. */
    private final ObjectProvider<CamelContext> camel;

    Preflight(AutopilotProperties properties, Environment environment, LedgerCheck ledger, GraphCheck graph, VendorCheck vendors,
              ObjectProvider<CamelContext> camel) {
        this.properties = properties;
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
        results.addAll(FolderCheck.check(properties));
        results.add(ledger.check());
        results.addAll(graph.check());
        results.addAll(vendors.check());
        return results;
    }

    /** The configuration was bound and validated, or nothing here would run: what it says, in short. */
    private String configuration() {
        Path file = properties.getHome().resolve("config").resolve("application.yml");
        return "valid; home " + properties.getHome() + ", " + (Files.isRegularFile(file) ? file : "built-in defaults (no " + file + ")")
                + (properties.isDryRunEffective() ? "; dry run: nothing is sent to Graph"
                : "; tenant " + properties.getTenantId() + ", client " + properties.getClientId() + ", Graph " + properties.graph())
                + "; " + properties.getVendors().size() + " vendor(s)";
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
