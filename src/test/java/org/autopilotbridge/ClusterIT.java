package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.ForkedCluster;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Three instances of the service, each in a JVM of its own, on one PostgreSQL ledger and one folder tree (as on a
 * shared SMB or NFS folder): five files of 2,000 devices, and one instance killed with {@code kill -9} while it holds
 * batches in flight. Every device is registered exactly once, every file read once and reported once, and the dead
 * instance's work is finished by the others once its leases run out.
 */
class ClusterIT {

    private static final int FILES = 5;
    private static final int DEVICES = 2000;
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void threeInstancesShareTheWorkAndTakeOverWhatAKilledOneHeld() throws Exception {
        try (GraphStandIn graph = new GraphStandIn("cluster-secret"); ForkedCluster cluster = new ForkedCluster();
             Connection ledger = cluster.ledger()) {
            ServiceFolders shared = cluster.folders();
            // Slow enough that batches are in flight when an instance is killed; the kill may cut a body it is sending.
            graph.latency(Duration.ofMillis(150));
            graph.expectTornBodies();
            List<String> settings = new ArrayList<>(graph.arguments());
            settings.addAll(List.of("--autopilot.cluster.lease=" + LEASE.toSeconds() + "s", "--autopilot.batch-size=200",
                    "--autopilot.poll-interval=1s", "--autopilot.graph-concurrency=4", "--autopilot.sync=false",
                    // Health's details (leased batches) without a login, as on loopback.
                    "--autopilot.console.login=false"));
            for (String node : NODES) {
                cluster.start(node, settings);
            }
            cluster.awaitUp(ledger, Duration.ofSeconds(120));
            Awaitility.await("three instances ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> NODES.stream().allMatch(node -> ready(cluster.port(node))));

            Random random = new Random(37);
            for (int file = 1; file <= FILES; file++) {
                List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
                for (int i = 1; i <= DEVICES; i++) {
                    lines.add(serial(file, i) + "," + HashFiles.hash(random));
                }
                HashFiles.drop(shared.inbox(), "fleet-" + file + ".csv",
                        HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
            }

            // Kill the instance that holds the most batches in flight, and note when its leases run out.
            Awaitility.await("batches in flight").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ForkedCluster.count(ledger, "SELECT COUNT(*) FROM import_batch WHERE lease_owner IS NOT NULL "
                            + "AND status IN ('SENDING', 'TRACKING')") >= 2);
            // Ops see the batches in the victim's health; a batch may settle between the query and the call.
            String[] busiest = new String[1];
            JsonNode[] seen = new JsonNode[1];
            Awaitility.await("the busiest instance's health lists its batches").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        busiest[0] = busiest(ledger);
                        seen[0] = get(cluster.port(busiest[0]), "/actuator/health");
                        return seen[0].path("components").path("cluster").path("details").path("leased").toString()
                                .contains("batch apb-");
                    });
            String victim = busiest[0];
            JsonNode health = seen[0];
            List<Long> held = ids(ledger, "SELECT id FROM import_batch WHERE lease_owner = '" + victim
                    + "' AND status IN ('SENDING', 'TRACKING', 'CLEANING')");
            cluster.node(victim).kill();
            Instant expiry = latest(ledger, "SELECT MAX(lease_until) FROM import_batch WHERE lease_owner = '" + victim + "'");

            Awaitility.await("the dead instance's batches taken over").atMost(LEASE.plus(Duration.ofSeconds(60)))
                    .pollInterval(Duration.ofMillis(200)).until(() -> allTakenOver(ledger, held, victim));
            // How soon is printed, not asserted: a bound on it would be a timing, which a loaded machine breaks.
            Duration takeover = Duration.between(expiry, Instant.now());
            System.out.printf("Killed %s holding %d batches; its leases ran out at %s; taken over %d ms after that%n",
                    victim, held.size(), expiry, takeover.toMillis());

            for (int file = 1; file <= FILES; file++) {
                List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(shared.done(),
                        "fleet-" + file + ".csv.results.csv", Duration.ofSeconds(180)));
                assertThat(rows).as("fleet-" + file).hasSize(DEVICES)
                        .allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
            }
            for (int file = 1; file <= FILES; file++) {
                for (int i = 1; i <= DEVICES; i++) {
                    assertThat(graph.imports().registrations(serial(file, i))).as(serial(file, i) + " registered once").isEqualTo(1);
                }
            }
            assertThat(health.path("components").path("cluster").path("details").path("instance").asText()).isEqualTo(victim);
            assertThat(ForkedCluster.count(ledger, "SELECT COUNT(*) FROM hash_file")).as("each file read once").isEqualTo(FILES);
            // A file's results are written just before the ledger marks it finished: wait for the mark, not the file.
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ForkedCluster.count(ledger,
                    "SELECT COUNT(DISTINCT name) FROM hash_file WHERE status = 'FINISHED'")).isEqualTo(FILES));
            try (Stream<Path> done = Files.list(shared.done())) {
                assertThat(done.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".results.csv")))
                        .as("each file reported once").hasSize(FILES);
            }
            assertThat(ForkedCluster.count(ledger, "SELECT COUNT(*) FROM import_batch WHERE lease_owner = '" + victim
                    + "' AND status <> 'DONE'")).as("nothing left with the dead instance").isZero();
        }
    }

    private static String serial(int file, int line) {
        return "CL" + file + "-" + line;
    }

    /** The instance holding the most batches being sent or followed. */
    private static String busiest(Connection ledger) throws Exception {
        try (Statement query = ledger.createStatement(); ResultSet rows = query.executeQuery("""
                SELECT lease_owner, COUNT(*) FROM import_batch WHERE lease_owner IS NOT NULL
                AND status IN ('SENDING', 'TRACKING') GROUP BY lease_owner ORDER BY COUNT(*) DESC LIMIT 1""")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** Each batch is done, or another instance holds it or has moved it on. */
    private static boolean allTakenOver(Connection ledger, List<Long> batches, String dead) throws Exception {
        for (long batch : batches) {
            try (Statement query = ledger.createStatement();
                 ResultSet row = query.executeQuery("SELECT status, lease_owner FROM import_batch WHERE id = " + batch)) {
                row.next();
                String status = row.getString(1);
                String owner = row.getString(2);
                if (dead.equals(owner) || (owner == null && status.equals("SENDING"))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<Long> ids(Connection ledger, String sql) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Statement query = ledger.createStatement(); ResultSet rows = query.executeQuery(sql)) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private static Instant latest(Connection ledger, String sql) throws Exception {
        try (Statement query = ledger.createStatement(); ResultSet row = query.executeQuery(sql)) {
            row.next();
            Timestamp at = row.getTimestamp(1);
            return at == null ? Instant.now() : at.toInstant();
        }
    }

    private static boolean ready(int port) {
        try {
            return get(port, "/actuator/health/readiness").path("status").asText().equals("UP");
        } catch (Exception e) {
            return false;
        }
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }
}
