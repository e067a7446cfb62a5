package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.monitor.BridgeMonitor;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ProfileAssignments.Mode;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * autopilot.profile-wait through the real routes, ledger and the strict stand-in, which assigns deployment profiles as
 * Intune does, one mode per device: a file's results wait until each imported or updated device's profile is
 * assigned, has failed, or the wait ended (pending or not assigned), or the device was deleted meanwhile; they say so
 * in two more columns, with the profile's name and, for what needs action, why and what to do. Profiles are read in
 * Graph's beta version, 20 to a $batch call.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class ProfileWaitIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("profile-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    /** Long enough for a device assigned a second after its first read, on a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Random random = new Random(24);

    @Autowired
    private BridgeMonitor monitor;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.poll-timeout", () -> "20s");
        registry.add("autopilot.update-retry-delay", () -> "200ms");
        registry.add("autopilot.profile-wait", WAIT::toString);
        registry.add("autopilot.sync", () -> "false");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void reportsEachDevicesProfileOnceItIsAssignedFailedOrTheWaitEnded() throws IOException {
        GRAPH.profiles().mode("PW-ASSIGNED", Mode.assignedAfter(Duration.ofSeconds(1), "Contoso user-driven"));
        GRAPH.profiles().mode("PW-FAILED", Mode.failed("hardwareRequirementsNotMet", "Contoso self-deploying"));
        GRAPH.profiles().mode("PW-PENDING", Mode.pending("Contoso kiosk"));
        GRAPH.profiles().mode("PW-UPDATED", Mode.assignedAfter(Duration.ZERO, "Contoso sales"));
        GRAPH.devices().register("PW-UPDATED", "Old", "");
        List<String> lines = List.of("Device Serial Number,Hardware Hash,Group Tag",
                "PW-ASSIGNED," + HashFiles.hash(random) + ",Users",
                "PW-FAILED," + HashFiles.hash(random) + ",Self",
                "PW-PENDING," + HashFiles.hash(random) + ",Kiosk",
                "PW-NEVER," + HashFiles.hash(random) + ",Nobody",
                "PW-UPDATED," + HashFiles.hash(random) + ",Sales",
                "PW-DELETED," + HashFiles.hash(random) + ",Users");
        HashFiles.drop(FOLDERS.inbox(), "profiles.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        // Deleted by an admin once it is registered and followed, before its wait ends.
        await().atMost(WAIT).until(() -> GRAPH.devices().bySerial("PW-DELETED") != null);
        await().atMost(WAIT).until(() -> monitor.getDevicesWaitingForProfile() > 0);
        GRAPH.devices().delete("PW-DELETED");
        Path results = ServiceFolders.await(FOLDERS.done(), "profiles.csv.results.csv", WAIT.multipliedBy(4));

        assertThat(Files.readString(results)).startsWith("\uFEFFLine,Device Serial Number,Outcome,Error Code,Error Name,Detail,"
                + "Autopilot Device Id,Profile Status,Deployment Profile\r\n");
        List<Map<String, String>> rows = CsvTable.read(results);
        assertThat(rows).extracting(r -> r.get("Device Serial Number") + " " + r.get("Outcome") + " " + r.get("Profile Status")
                + " [" + r.get("Deployment Profile") + "]").containsExactly(
                "PW-ASSIGNED imported assigned [Contoso user-driven]",
                "PW-FAILED imported failed [Contoso self-deploying]",
                "PW-PENDING imported pending []",
                "PW-NEVER imported not-assigned []",
                "PW-UPDATED updated assigned [Contoso sales]",
                "PW-DELETED imported not-registered []");
        assertThat(rows.get(0).get("Detail")).isEmpty();
        assertThat(rows.get(1).get("Detail")).startsWith("deployment profile 'Contoso self-deploying' not assigned: "
                + "hardwareRequirementsNotMet; the device lacks what the profile needs");
        assertThat(rows.get(2).get("Detail")).startsWith("deployment profile still pending after autopilot.profile-wait (PT10S)");
        assertThat(rows.get(3).get("Detail")).startsWith("no deployment profile assigned after autopilot.profile-wait (PT10S)");
        assertThat(rows.get(4).get("Detail")).isEqualTo("group tag Old -> Sales");
        assertThat(rows.get(5).get("Detail")).contains("deleted in Intune while its deployment profile was followed");
        assertThat(FOLDERS.deadLetter().resolve("profiles.csv.failed.csv")).as("imported lines are not to be dropped again")
                .doesNotExist();
        assertThat(monitor.getDevicesWaitingForProfile()).isZero();
        assertThat(monitor.getDevicesWithoutProfile()).isEqualTo(4);
        assertThat(GRAPH.received()).filteredOn(r -> r.path().endsWith("/$batch") && r.path().startsWith("/beta"))
                .as("profiles are read in beta, in $batch calls").isNotEmpty();
        assertThat(GRAPH.batches().readSizes()).allMatch(size -> size <= 20);
    }

    @Test
    void followsADeviceNamedAfterItsImportOnceItIsNamed() throws IOException {
        GRAPH.profiles().mode("PW-NAMED", Mode.assignedAfter(Duration.ZERO, "Contoso named"));
        List<String> lines = List.of("Device Serial Number,Hardware Hash,Device Name", "PW-NAMED," + HashFiles.hash(random) + ",PC-PW1");
        HashFiles.drop(FOLDERS.inbox(), "named.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        Map<String, String> row = CsvTable.read(ServiceFolders.await(FOLDERS.done(), "named.csv.results.csv", WAIT.multipliedBy(4))).get(0);

        assertThat(row).containsEntry("Outcome", "imported").containsEntry("Detail", "name PC-PW1")
                .containsEntry("Profile Status", "assigned").containsEntry("Deployment Profile", "Contoso named");
        assertThat(GRAPH.devices().bySerial("PW-NAMED").path("displayName").asText()).isEqualTo("PC-PW1");
    }
}
