package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With autopilot.update-existing=false, no registered device is looked up or changed: 806 is only reported. */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class UpdateExistingOffIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("off-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.update-existing", () -> "false");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void reports806AsItIsAndRejectsLinesWithoutAHash() throws Exception {
        GRAPH.devices().register("OFF-1", "Old", "");
        List<String> lines = List.of("Device Serial Number,Hardware Hash,Group Tag",
                "OFF-1," + HashFiles.hash(new Random(5)) + ",New", "OFF-2,,New");
        HashFiles.drop(FOLDERS.inbox(), "off.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.done(), "off.csv.results.csv", Duration.ofSeconds(60)));

        assertThat(rows).extracting(r -> r.get("Outcome") + " " + r.get("Detail")).containsExactly(
                "already-registered already registered in this tenant",
                "rejected Hardware Hash is empty, and registered devices are not updated from files (autopilot.update-existing is false)");
        assertThat(GRAPH.devices().bySerial("OFF-1").path("groupTag").asText()).isEqualTo("Old");
        assertThat(GRAPH.devices().listPages()).as("registered devices looked up").isZero();
        assertThat(GRAPH.devices().updates()).isZero();
        assertThat(CsvTable.read(FOLDERS.deadLetter().resolve("off.csv.failed.csv"))).hasSize(1);
    }
}
