package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stopping the service (SIGTERM closes the Spring context) lets the Graph call in flight finish and be recorded, and
 * never sits out a retry's wait: work waiting to be tried again stays in the ledger for the next start.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownIT {

    /**
     * Stopping while a batch is followed: the stages take no new work and wake no one, so nothing spins, fails or
     * "works again" on the way down; the batch waits in the ledger for the next start.
     */
    @Test
    void stoppingWhileABatchIsFollowedEndsQuietly(CapturedOutput output) throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        try (GraphStandIn graph = new GraphStandIn("shutdown-due-secret")) {
            List<String> arguments = new ArrayList<>(folders.arguments());
            arguments.addAll(graph.arguments());
            arguments.addAll(List.of("--camel.main.run-controller=false", "--autopilot.poll-interval=100ms"));
            ConfigurableApplicationContext service = SpringApplication.run(AutopilotBridgeApplication.class, arguments.toArray(String[]::new));
            HashFiles.drop(folders.inbox(), "followed.csv", HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                    "DUE-RSTUCK-1," + HashFiles.hash(new Random(23))), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> graph.staged().listPages() >= 3);

            int before = output.getAll().length();
            service.close();

            assertThat(output.getAll().substring(before)).doesNotContain(" failed").doesNotContain("works again")
                    .doesNotContain("Queue full");
        }
    }

    @Test
    void stoppingWaitsForTheImportCallInFlightAndRecordsItsAnswer() throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        long tookMillis;
        try (GraphStandIn graph = new GraphStandIn("shutdown-secret")) {
            graph.imports().delay(Duration.ofSeconds(3));
            List<String> arguments = new ArrayList<>(folders.arguments());
            arguments.addAll(graph.arguments());
            arguments.addAll(List.of("--camel.main.run-controller=false", "--autopilot.poll-interval=1m"));
            ConfigurableApplicationContext service = SpringApplication.run(AutopilotBridgeApplication.class, arguments.toArray(String[]::new));
            Random random = new Random(21);
            HashFiles.drop(folders.inbox(), "in-flight.csv", HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                    "FLIGHT-1," + HashFiles.hash(random), "FLIGHT-2," + HashFiles.hash(random)), "\r\n", StandardCharsets.UTF_8,
                    HashFiles.NO_BOM));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !graph.imports().calls().isEmpty());

            long start = System.nanoTime();
            service.close();
            tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(graph.imports().registrations("FLIGHT-1")).isEqualTo(1);
        }

        assertThat(tookMillis).as("waited for Graph's answer").isGreaterThanOrEqualTo(1500);
        try (Connection ledger = DriverManager.getConnection("jdbc:h2:file:" + folders.dataDir().toAbsolutePath().resolve("ledger"), "sa", "");
             ResultSet batch = ledger.createStatement().executeQuery("SELECT status, graph_ids FROM import_batch")) {
            assertThat(batch.next()).isTrue();
            assertThat(batch.getString(1)).as("the answer was recorded").isEqualTo("TRACKING");
            assertThat(batch.getString(2).split(",")).as("a Graph id for each device, kept with the batch").hasSize(2);
        }
        try (Stream<Path> files = Files.walk(folders.root())) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void stoppingDuringARetryWaitEndsAtOnceAndTheNextStartFinishesTheFile() throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        try (GraphStandIn graph = new GraphStandIn("shutdown-wait-secret")) {
            graph.imports().failNext(1, 503);
            List<String> arguments = new ArrayList<>(folders.arguments());
            arguments.addAll(graph.arguments());
            // A retry an hour away: the service would sit it out if stopping waited for it.
            arguments.addAll(List.of("--camel.main.run-controller=false", "--autopilot.poll-interval=200ms",
                    "--autopilot.retry.initial-backoff=1h", "--autopilot.retry.max-wait=2h"));
            ConfigurableApplicationContext service = SpringApplication.run(AutopilotBridgeApplication.class, arguments.toArray(String[]::new));
            HashFiles.drop(folders.inbox(), "waiting.csv", HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                    "WAIT-1," + HashFiles.hash(new Random(22))), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !graph.imports().calls().isEmpty());

            // A stop that sat in the wait would end only when Camel forces it, after its 45 s shutdown-timeout, if at all.
            assertTimeoutPreemptively(Duration.ofSeconds(30), service::close, "the stop waited for the retry");
            assertThat(graph.imports().registrations("WAIT-1")).as("the 503 stored nothing").isZero();

            try (ConfigurableApplicationContext restarted = SpringApplication.run(AutopilotBridgeApplication.class,
                    arguments.toArray(String[]::new))) {
                ServiceFolders.await(folders.done(), "waiting.csv.results.csv", Duration.ofSeconds(60));
            }
            assertThat(graph.imports().registrations("WAIT-1")).isEqualTo(1);
        }
    }
}
