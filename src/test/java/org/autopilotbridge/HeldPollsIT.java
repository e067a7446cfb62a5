package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * More batches followed than workers to poll them, and Graph down for longer than the poll-timeout: the batches
 * whose polls waited behind the outage are polled late, and time out nothing for it.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class HeldPollsIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("held-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.batch-size", () -> "1");
        registry.add("autopilot.graph-concurrency", () -> "1");
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.poll-timeout", () -> "5s");
        registry.add("autopilot.retry.max-attempts", () -> "3");
        registry.add("autopilot.retry.initial-backoff", () -> "50ms");
        registry.add("autopilot.retry.max-wait", () -> "3s");
        registry.add("autopilot.sync", () -> "false");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void batchesPolledLateBehindAnOutageLongerThanThePollTimeoutEndImported() throws Exception {
        // Three looks before a record is final (unknown, pending, complete); Graph down for 8 s once all three
        // one-device batches are sent, so that two of them wait for the one worker past their 5 s deadline.
        GRAPH.staged().unknownFor(1);
        CompletableFuture<List<Map<String, String>>> rows = CompletableFuture.supplyAsync(() -> {
            try {
                return FOLDERS.importDevices("held.csv", new Random(7), "HELD-1", "HELD-2", "HELD-3");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> GRAPH.imports().callsFor("HELD-").size() == 3);
        GRAPH.faults().downFor(Duration.ofSeconds(8), 503);

        assertThat(rows.get(60, TimeUnit.SECONDS)).extracting(row -> row.get("Outcome")).containsOnly("imported");
    }
}
