package org.autopilotbridge.testing;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.config.TenantSettings;
import org.autopilotbridge.tenant.Tenants;

/** The tenants a service with these folders resolves, for tests that build a stage's beans by hand. */
public final class TestTenants {

    private TestTenants() {
    }

    /** A single-tenant service (a dry run): one tenant, whose folders are the top-level ones. */
    public static Tenants single(FolderProperties folders) {
        return new Tenants(new TenantProperties(), new GraphProperties(), new ImportProperties(), folders);
    }

    /** A service of these tenants, each with every key left to the top level, so its folders are the defaults. */
    public static Tenants several(FolderProperties folders, String... names) {
        TenantProperties tenants = new TenantProperties();
        for (String name : names) {
            TenantSettings settings = new TenantSettings();
            settings.setTenantId(name + ".onmicrosoft.com");
            tenants.getTenants().put(name, settings);
        }
        return new Tenants(tenants, new GraphProperties(), new ImportProperties(), folders);
    }
}
