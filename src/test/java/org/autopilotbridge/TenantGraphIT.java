package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.StandInTenant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service of three customer tenants against a stand-in that serves three, each with its own devices, and tokens
 * that see only their own tenant: every device lands in its own file's tenant only, and a tenant whose admin has
 * not consented yet holds only its own work, which is imported once consent is granted, never failed for it.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class TenantGraphIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("tenants-secret-" + UUID.randomUUID());
    private static final StandInTenant CONTOSO = GRAPH.defaultTenant();
    private static final StandInTenant FABRIKAM = GRAPH.addTenant("fabrikam-test");
    private static final StandInTenant NORTHWIND = GRAPH.addTenant("northwind-test");
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Random random = new Random(31);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    @Qualifier("graph")
    HealthContributor graphHealth;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        // Northwind's admin has not consented to the app yet: its token endpoint answers AADSTS700016.
        NORTHWIND.tokens().consent(false);
        GRAPH.settings(Map.of("contoso", CONTOSO, "fabrikam", FABRIKAM, "northwind", NORTHWIND))
                .forEach((key, value) -> registry.add(key, () -> value));
        registry.add("autopilot.poll-interval", () -> "200ms");
        // An outage (here: consent missing) is probed again within two seconds, not a minute.
        registry.add("autopilot.retry.max-wait", () -> "2s");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void everyDeviceLandsInItsOwnFilesTenantAndOneSerialInTwoTenantsIsTwoDevices() throws IOException {
        drop("contoso", "contoso.csv", "SHARED-1", "CONTOSO-1", "CONTOSO-2");
        drop("fabrikam", "fabrikam.csv", "SHARED-1", "FABRIKAM-1");

        assertThat(results("contoso", "contoso.csv")).extracting(row -> row.get("Outcome")).containsOnly("imported");
        assertThat(results("fabrikam", "fabrikam.csv")).extracting(row -> row.get("Outcome")).containsOnly("imported");

        assertThat(CONTOSO.devices().bySerial("CONTOSO-1")).isNotNull();
        assertThat(FABRIKAM.devices().bySerial("CONTOSO-1")).as("contoso's device in fabrikam").isNull();
        assertThat(CONTOSO.devices().bySerial("FABRIKAM-1")).as("fabrikam's device in contoso").isNull();
        assertThat(NORTHWIND.devices().bySerial("CONTOSO-1")).isNull();
        assertThat(CONTOSO.imports().registrations("SHARED-1")).isEqualTo(1);
        assertThat(FABRIKAM.imports().registrations("SHARED-1")).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT DISTINCT d.tenant FROM device d JOIN hash_file f ON f.id = d.file_id "
                + "WHERE f.name = 'fabrikam.csv'", String.class)).containsExactly("fabrikam");
    }

    @Test
    void aTenantWithoutConsentHoldsOnlyItsOwnDevicesAndImportsThemOnceConsentIsGranted() throws IOException {
        drop("northwind", "northwind.csv", "NORTHWIND-1", "NORTHWIND-2");
        // Northwind's Graph is held: its file waits, while a file dropped after it for fabrikam goes through.
        Awaitility.await("northwind held").atMost(PATIENCE).until(() -> health("northwind").getStatus().equals(Status.DOWN));
        drop("fabrikam", "fabrikam-later.csv", "FABRIKAM-LATER-1");
        assertThat(results("fabrikam", "fabrikam-later.csv")).extracting(row -> row.get("Outcome")).containsOnly("imported");

        assertThat(FOLDERS.done().resolve("northwind").resolve("northwind.csv.results.csv")).doesNotExist();
        assertThat(health("northwind").getDetails().get("error").toString()).contains("AADSTS700016");
        assertThat(health("fabrikam").getStatus()).isEqualTo(Status.UP);
        // Its inbox is read apart from fabrikam's: its lines may be recorded after fabrikam's file is reported.
        Awaitility.await("northwind's lines recorded").atMost(PATIENCE).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM "
                + "device d JOIN hash_file f ON f.id = d.file_id WHERE f.name = 'northwind.csv'", Integer.class) == 2);
        assertThat(jdbc.queryForList("SELECT d.outcome FROM device d JOIN hash_file f ON f.id = d.file_id "
                + "WHERE f.name = 'northwind.csv'", String.class)).as("never failed for a missing consent").containsOnlyNulls();

        NORTHWIND.tokens().consent(true);
        assertThat(results("northwind", "northwind.csv")).extracting(row -> row.get("Outcome")).containsOnly("imported");
        assertThat(NORTHWIND.imports().registrations("NORTHWIND-1")).isEqualTo(1);
        assertThat(FABRIKAM.devices().bySerial("NORTHWIND-1")).isNull();
        Awaitility.await("northwind working").atMost(PATIENCE).until(() -> health("northwind").getStatus().equals(Status.UP));
    }

    private void drop(String tenant, String name, String... serials) throws IOException {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Windows Product ID,Hardware Hash"));
        for (String serial : serials) {
            lines.add(serial + ",," + HashFiles.hash(random));
        }
        HashFiles.drop(FOLDERS.inbox().resolve(tenant), name, HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
    }

    private static List<Map<String, String>> results(String tenant, String name) throws IOException {
        Path results = ServiceFolders.await(FOLDERS.done().resolve(tenant), name + ".results.csv", PATIENCE);
        return CsvTable.read(results);
    }

    private Health health(String tenant) {
        return ((HealthIndicator) ((CompositeHealthContributor) graphHealth).getContributor(tenant)).health();
    }
}
