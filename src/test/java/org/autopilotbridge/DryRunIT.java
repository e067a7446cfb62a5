package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With no tenant configured the service reads, validates and reports, and calls nothing. */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class DryRunIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("unused");
    private static final ServiceFolders FOLDERS = ServiceFolders.create();

    @Autowired
    TenantProperties properties;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        registry.add("autopilot.tenant-id", () -> "");
        registry.add("autopilot.authority-url", GRAPH::baseUrl);
        registry.add("autopilot.graph-url", GRAPH::graphUrl);
        registry.add("autopilot.group-tag", () -> "Pilot");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void validatesAndReportsWithoutCallingGraphAndWritesTheJsonItWouldSend() throws IOException {
        Random random = new Random(11);
        String hash = HashFiles.hash(random);
        List<String> lines = List.of("Device Serial Number,Windows Product ID,Hardware Hash,Group Tag",
                "DRY-1,," + hash + ",",
                "DRY-2,00330-80000-00000-AA123," + HashFiles.hash(random) + ",Kiosk",
                "DRY-3,,broken,",
                "DRY-4,,,Kiosk");
        HashFiles.drop(FOLDERS.inbox(), "dry.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.UTF8_BOM));

        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.done(), "dry.csv.results.csv", java.time.Duration.ofSeconds(30)));

        assertThat(properties.isDryRunEffective()).isTrue();
        assertThat(rows).extracting(r -> r.get("Outcome")).containsExactly("validated", "validated", "rejected", "validated");
        JsonNode identities = new ObjectMapper().readTree(FOLDERS.done().resolve("dry.csv.identities.json").toFile());
        assertThat(identities).as("an update-only line has nothing to import").hasSize(2);
        assertThat(identities.get(0).path("@odata.type").asText()).isEqualTo(ImportedDeviceIdentity.ODATA_TYPE);
        assertThat(identities.get(0).path("serialNumber").asText()).isEqualTo("DRY-1");
        assertThat(identities.get(0).path("hardwareIdentifier").asText()).isEqualTo(hash);
        assertThat(identities.get(0).path("groupTag").asText()).isEqualTo("Pilot");
        assertThat(identities.get(1).path("groupTag").asText()).isEqualTo("Kiosk");
        assertThat(identities.get(1).path("productKey").asText()).isEqualTo("00330-80000-00000-AA123");
        assertThat(FOLDERS.done().resolve("dry.csv")).exists();
        assertThat(FOLDERS.deadLetter().resolve("dry.csv.failed.csv")).exists();
        assertThat(GRAPH.requests()).as("requests that reached Graph or the token endpoint").isZero();
    }
}
