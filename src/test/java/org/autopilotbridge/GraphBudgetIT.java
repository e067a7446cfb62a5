package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn.ImportCall;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service under Intune's documented budget (100 writes and 1,000 requests per 20 seconds), against a stand-in
 * that enforces it: imports go before a long clean-up, and the service collects next to no 429s; when Graph does
 * throttle without a Retry-After, every call backs off exponentially.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GraphBudgetIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("budget-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();

    private final Random random = new Random(13);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.graph-budget.writes-per-20s", () -> "100");
        registry.add("autopilot.graph-budget.requests-per-20s", () -> "1000");
        registry.add("autopilot.poll-interval", () -> "1s");
        registry.add("autopilot.retry.initial-backoff", () -> "1s");
        registry.add("autopilot.retry.max-wait", () -> "2m");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    @Order(1)
    void throttledWithoutRetryAfterACallBacksOffLongerEachTime() throws IOException {
        GRAPH.imports().failNext(4, 429);

        assertThat(FOLDERS.importDevices("backoff.csv", random, "BACKOFF-1")).extracting(row -> row.get("Outcome"))
                .containsOnly("imported");
        // Its delete must not fall into the next test's tight budget window.
        GRAPH.staged().awaitCleanedUp("BACKOFF-");

        List<ImportCall> attempts = GRAPH.imports().callsFor("BACKOFF-");
        assertThat(attempts).extracting(ImportCall::status).containsExactly(429, 429, 429, 429, 200);
        for (int n = 1; n < attempts.size(); n++) {
            // Backoff n is between half and all of 1 s x 2^(n-1): a constant or linear backoff falls short by the third.
            assertThat(attempts.get(n).atMillis() - attempts.get(n - 1).atMillis()).as("backoff %d (ms)", n)
                    .isGreaterThanOrEqualTo(500L << (n - 1));
        }
    }

    @Test
    @Order(2)
    void throttledByTheBudgetCleanUpStillFinishes() throws IOException {
        // Tighter than the service's own budget, so that Graph has to say no.
        GRAPH.faults().enforceBudget(2, 1000, false);
        int throttledBefore = GRAPH.faults().overBudget();
        try {
            assertThat(FOLDERS.importDevices("tight.csv", random, "TIGHT-1", "TIGHT-2", "TIGHT-3"))
                    .extracting(row -> row.get("Outcome")).containsOnly("imported");
            // One write for the import, so three deletes do not fit until the window has moved on.
            GRAPH.staged().awaitCleanedUp("TIGHT-");
        } finally {
            GRAPH.faults().enforceBudget(100, 1000, false);
        }

        assertThat(GRAPH.faults().overBudget() - throttledBefore).as("requests Graph answered 429").isPositive();
    }

    @Test
    @Order(3)
    void aFileDroppedDuringALongCleanUpIsImportedFirstAndGraphNeverSaysNo() throws IOException {
        int throttledBefore = GRAPH.faults().overBudget();
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        for (int i = 1; i <= 3000; i++) {
            lines.add("FIRST-" + i + "," + HashFiles.hash(random));
        }
        HashFiles.drop(FOLDERS.inbox(), "first.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        assertThat(CsvTable.read(ServiceFolders.await(FOLDERS.done(), "first.csv.results.csv", Duration.ofMinutes(2))))
                .hasSize(3000).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        // 3,000 deletes at under 100 writes per 20 s take about ten minutes: clean-up is under way, far from done.
        Awaitility.await("clean-up under way").atMost(Duration.ofMinutes(1))
                .until(() -> GRAPH.staged().withSerialPrefix("FIRST-") < 3000);

        List<Map<String, String>> second = FOLDERS.importDevices("second.csv", random,
                java.util.stream.IntStream.rangeClosed(1, 200).mapToObj(i -> "SECOND-" + i).toArray(String[]::new));

        assertThat(second).hasSize(200).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        assertThat(GRAPH.staged().withSerialPrefix("FIRST-")).as("the first file's clean-up is still going on").isGreaterThan(1000);
        List<ImportCall> imports = GRAPH.imports().callsFor("SECOND-");
        assertThat(imports).extracting(ImportCall::status).containsExactly(200);
        assertThat(GRAPH.faults().overBudget() - throttledBefore).as("requests Graph answered 429").isZero();
    }

    @Test
    @Order(4)
    void reTagsRegisteredDevicesWithinTheBudgetWhileALongCleanUpGoesOn() throws IOException {
        assertThat(GRAPH.staged().withSerialPrefix("FIRST-")).as("the first file's clean-up is still going on").isGreaterThan(500);
        int throttledBefore = GRAPH.faults().overBudget();
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Group Tag"));
        for (int i = 1; i <= 60; i++) {
            GRAPH.devices().register("RETAG-" + i, "Old", "");
            lines.add("RETAG-" + i + ",Sales");
        }
        HashFiles.drop(FOLDERS.inbox(), "retag.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.done(), "retag.csv.results.csv", Duration.ofMinutes(2)));

        assertThat(rows).hasSize(60).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("updated"));
        assertThat(GRAPH.devices().bySerial("RETAG-60").path("groupTag").asText()).isEqualTo("Sales");
        // 60 lookups and 60 changes, each counted inside its $batch call, beside the clean-up's deletes.
        assertThat(GRAPH.faults().overBudget() - throttledBefore).as("requests Graph answered 429").isZero();
    }
}
