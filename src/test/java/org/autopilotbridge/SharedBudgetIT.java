package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.ForkedCluster;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.GraphStandIn.ImportCall;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Three instances on one PostgreSQL ledger against a stand-in that enforces Intune's windows for the whole tenant,
 * scaled down (30 writes and 300 requests per 20 seconds, the same budget given to the service): together they stay
 * within it, a Retry-After one of them receives holds back the others, and the files they finish ask Graph for one
 * Autopilot sync, not one per file or per instance.
 */
class SharedBudgetIT {

    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
    private static final int FILES = 3;
    private static final int DEVICES = 16;
    private static final int WRITES = 30;
    private static final int REQUESTS = 300;
    private static final int HOLD_SECONDS = 6;
    /**
     * Calls that passed an instance's gate before the hold reached the ledger may still arrive this long after the
     * 429 was answered: they were on their way, as they would be to Graph.
     */
    private static final long IN_FLIGHT_MILLIS = 1000;

    @Test
    void instancesShareTheBudgetTheHoldAndTheSync() throws Exception {
        try (GraphStandIn graph = new GraphStandIn("shared-budget-secret"); ForkedCluster cluster = new ForkedCluster();
             Connection ledger = cluster.ledger()) {
            graph.faults().enforceBudget(WRITES, REQUESTS, true);
            // The stand-in's arguments lift the service's budget: here it is Intune's (a repeated argument would be a list).
            List<String> settings = new ArrayList<>(graph.arguments().stream().filter(a -> !a.contains("graph-budget")).toList());
            settings.addAll(List.of("--autopilot.graph-budget.writes-per-20s=" + WRITES,
                    "--autopilot.graph-budget.requests-per-20s=" + REQUESTS, "--autopilot.batch-size=4",
                    "--autopilot.poll-interval=1s", "--autopilot.graph-concurrency=4"));
            for (String node : NODES) {
                cluster.start(node, settings);
            }
            cluster.awaitUp(ledger, Duration.ofSeconds(120));
            // The first import call of any instance is told to wait, while the others have batches of their own to send.
            graph.imports().throttleNext(1, HOLD_SECONDS);

            Random random = new Random(41);
            ServiceFolders shared = cluster.folders();
            for (int file = 1; file <= FILES; file++) {
                drop(shared, random, file, DEVICES);
            }
            for (int file = 1; file <= FILES; file++) {
                assertThat(results(shared, file)).as("budget-" + file).hasSize(DEVICES)
                        .allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
            }
            // Clean-up spends most of the writes: the budget is proven over all of them, not only the imports'.
            graph.staged().awaitCleanedUp("SB");
            Awaitility.await("the first sync made").atMost(Duration.ofSeconds(60))
                    .until(() -> ForkedCluster.count(ledger, "SELECT COUNT(*) FROM tenant_sync WHERE last_sync_at IS NOT NULL") == 1);

            for (int file = 1; file <= FILES; file++) {
                for (int i = 1; i <= DEVICES; i++) {
                    assertThat(graph.imports().registrations(serial(file, i))).as(serial(file, i) + " registered once").isEqualTo(1);
                }
            }
            assertThat(graph.faults().overBudget()).as("requests the stand-in answered 429 for the budget").isZero();

            List<ImportCall> throttled = graph.imports().calls().stream().filter(call -> call.status() == 429).toList();
            assertThat(throttled).hasSize(1);
            long holdStarts = throttled.get(0).atMillis();
            assertThat(graph.received()).as("calls the stand-in received in the hold, by its clock")
                    .noneMatch(call -> call.atMillis() > holdStarts + IN_FLIGHT_MILLIS
                            && call.atMillis() < holdStarts + HOLD_SECONDS * 1000L);

            // A file finished after the sync asks for another, which Graph's ten-minute rule does not allow yet. The
            // finishing instance wakes its sync before its clean-up: once that clean-up is done, the sync had its turn.
            drop(shared, random, FILES + 1, 4);
            assertThat(results(shared, FILES + 1)).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
            graph.staged().awaitCleanedUp("SB" + (FILES + 1) + "-");
            assertThat(ForkedCluster.count(ledger, "SELECT COUNT(*) FROM tenant_sync WHERE requested_at IS NOT NULL"))
                    .as("a sync still owed").isEqualTo(1);
            assertThat(graph.faults().syncCalls()).extracting(ImportCall::status).containsExactly(204);
        }
    }

    private static void drop(ServiceFolders shared, Random random, int file, int devices) throws IOException {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        for (int i = 1; i <= devices; i++) {
            lines.add(serial(file, i) + "," + HashFiles.hash(random));
        }
        HashFiles.drop(shared.inbox(), "budget-" + file + ".csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
    }

    private static List<Map<String, String>> results(ServiceFolders shared, int file) throws IOException {
        return CsvTable.read(ServiceFolders.await(shared.done(), "budget-" + file + ".csv.results.csv", Duration.ofSeconds(120)));
    }

    private static String serial(int file, int line) {
        return "SB" + file + "-" + line;
    }
}
