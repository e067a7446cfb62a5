package org.autopilotbridge.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.TenantProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Each tenant's keys resolved: its own where it sets them, else the top-level ones; its folders in the top-level ones. */
class TenantsTest {

    private static final Path HOME = Path.of("/srv/autopilot").toAbsolutePath();

    @Test
    void aSingleTenantServiceIsOneTenantNamedDefaultInTheTopLevelFolders() {
        Tenants tenants = tenants(Map.of("autopilot.tenant-id", "contoso.onmicrosoft.com", "autopilot.client-id", "app",
                "autopilot.group-tag", "Pilot"));

        assertThat(tenants.several()).isFalse();
        assertThat(tenants.all()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo(Tenant.SINGLE);
            assertThat(t.tenantId()).isEqualTo("contoso.onmicrosoft.com");
            assertThat(t.groupTag()).isEqualTo("Pilot");
            assertThat(t.folders()).isEqualTo(new Tenant.Folders(HOME.resolve("inbox"), HOME.resolve("done"), HOME.resolve("dead-letter")));
        });
    }

    @Test
    void aTenantTakesEachKeyItLeavesOutFromTheTopLevelAndItsFoldersInTheTopLevelOnes() {
        Tenants tenants = tenants(Map.of("autopilot.client-id", "app", "autopilot.client-secret", "top-secret-91",
                "autopilot.group-tag", "Pilot", "autopilot.graph-budget.writes-per-20s", "50",
                "autopilot.tenants.contoso.tenant-id", "contoso.onmicrosoft.com"));

        Tenant contoso = tenants.get("contoso");
        assertThat(tenants.several()).isTrue();
        assertThat(tenants.find(Tenant.SINGLE)).as("no tenant of its own beside the configured ones").isEmpty();
        assertThat(contoso.clientId()).isEqualTo("app");
        assertThat(contoso.clientSecret()).isEqualTo("top-secret-91");
        assertThat(contoso.groupTag()).isEqualTo("Pilot");
        assertThat(contoso.writesPer20s()).isEqualTo(50);
        assertThat(contoso.authority()).isEqualTo(URI.create("https://login.microsoftonline.com"));
        assertThat(contoso.folders()).isEqualTo(new Tenant.Folders(HOME.resolve("inbox").resolve("contoso"),
                HOME.resolve("done").resolve("contoso"), HOME.resolve("dead-letter").resolve("contoso")));
        assertThat(contoso).hasToString("Tenant[contoso (contoso.onmicrosoft.com)]");
    }

    @Test
    void aTenantsOwnKeysWinAndItsOwnFoldersResolveAgainstTheHome() {
        Map<String, String> values = Map.ofEntries(Map.entry("autopilot.client-id", "app"),
                Map.entry("autopilot.client-secret", "top-secret-91"), Map.entry("autopilot.group-tag", "Pilot"),
                Map.entry("autopilot.tenants.fabrikam.tenant-id", "fabrikam.onmicrosoft.us"),
                Map.entry("autopilot.tenants.fabrikam.client-id", "gov-app"),
                Map.entry("autopilot.tenants.fabrikam.client-certificate", "fabrikam.pfx"),
                Map.entry("autopilot.tenants.fabrikam.cloud", "usgov"),
                Map.entry("autopilot.tenants.fabrikam.group-tag", "Fabrikam"),
                Map.entry("autopilot.tenants.fabrikam.graph-budget.writes-per-20s", "20"),
                Map.entry("autopilot.tenants.fabrikam.inbox", "drops/fabrikam"),
                Map.entry("autopilot.tenants.fabrikam.dead-letter", "/mnt/share/fabrikam-refused"));

        Tenant fabrikam = tenants(values).get("fabrikam");

        assertThat(fabrikam.clientId()).isEqualTo("gov-app");
        assertThat(fabrikam.clientCertificate()).isEqualTo(Path.of("fabrikam.pfx"));
        assertThat(fabrikam.clientSecret()).as("its own certificate, so not the top-level secret").isNull();
        assertThat(fabrikam.authority()).isEqualTo(URI.create("https://login.microsoftonline.us"));
        assertThat(fabrikam.groupTag()).isEqualTo("Fabrikam");
        assertThat(fabrikam.writesPer20s()).isEqualTo(20);
        assertThat(fabrikam.folders().inbox()).isEqualTo(HOME.resolve("drops/fabrikam"));
        assertThat(fabrikam.folders().done()).isEqualTo(HOME.resolve("done").resolve("fabrikam"));
        assertThat(fabrikam.folders().deadLetter()).isEqualTo(HOME.resolve("/mnt/share/fabrikam-refused"));
    }

    /** The tenants of these settings, with the work folders bound as the service binds them: resolved against the home. */
    private static Tenants tenants(Map<String, String> values) {
        Binder binder = new Binder(new MapConfigurationPropertySource(values));
        FolderProperties folders = binder.bindOrCreate("autopilot", FolderProperties.class);
        folders.setHome(HOME);
        folders.setInbox(HOME.resolve("inbox"));
        folders.setDone(HOME.resolve("done"));
        folders.setDeadLetter(HOME.resolve("dead-letter"));
        return new Tenants(binder.bindOrCreate("autopilot", TenantProperties.class), binder.bindOrCreate("autopilot", GraphProperties.class),
                binder.bindOrCreate("autopilot", ImportProperties.class), folders);
    }
}
