package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.GraphStandIn.Received;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Several Graph calls in flight at once, never more than autopilot.graph-concurrency across sending, following and
 * clean-up, and a Retry-After that holds back every one of them.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class GraphConcurrencyIT {

    private static final int LANES = 3;
    private static final GraphStandIn GRAPH = new GraphStandIn("concurrency-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();

    private final Random random = new Random(11);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.graph-concurrency", () -> String.valueOf(LANES));
        registry.add("autopilot.batch-size", () -> "10");
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.retry.initial-backoff", () -> "50ms");
        registry.add("autopilot.retry.max-wait", () -> "20s");
    }

    @AfterEach
    void answerPromptlyAgain() {
        GRAPH.latency(Duration.ZERO);
        GRAPH.imports().delay(Duration.ZERO);
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void keepsAsManyGraphCallsInFlightAsConfiguredAndNeverMore() throws IOException {
        GRAPH.latency(Duration.ofMillis(150));
        String[] serials = serials("LANE-", 80);

        List<Map<String, String>> rows = FOLDERS.importDevices("lanes.csv", random, serials);
        GRAPH.staged().awaitCleanedUp("LANE-");

        assertThat(rows).hasSize(80).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        for (String serial : serials) {
            assertThat(GRAPH.imports().registrations(serial)).as(serial).isEqualTo(1);
        }
        assertThat(GRAPH.imports().callsFor("LANE-")).as("8 batches of 10").hasSize(8);
        assertThat(GRAPH.maxConcurrentCalls()).as("Graph calls in flight at once").isEqualTo(LANES);
    }

    @Test
    void aRetryAfterReceivedOnOneLaneHoldsBackEveryLane() throws IOException {
        // The throttled call is answered after 300 ms, while the other lanes' imports take 700 ms: when the 429
        // arrives, every lane is busy, so any call after it had to pass the hold.
        GRAPH.latency(Duration.ofMillis(300));
        GRAPH.imports().delay(Duration.ofMillis(400));
        GRAPH.imports().throttleNext(1, 2);
        String[] serials = serials("HOLD-", 60);

        List<Map<String, String>> rows = FOLDERS.importDevices("held.csv", random, serials);

        assertThat(rows).hasSize(60).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        for (String serial : serials) {
            assertThat(GRAPH.imports().registrations(serial)).as(serial).isEqualTo(1);
        }
        long throttledAt = GRAPH.imports().callsFor("HOLD-").stream().filter(c -> c.status() == 429).findFirst().orElseThrow().atMillis();
        List<Long> after = GRAPH.received().stream().map(Received::atMillis).filter(at -> at > throttledAt).toList();
        assertThat(after).as("Graph calls after the 429").isNotEmpty()
                .allSatisfy(at -> assertThat(at).as("arrived ms after the 429").isGreaterThanOrEqualTo(throttledAt + 2000));
        assertThat(GRAPH.maxConcurrentCalls()).isLessThanOrEqualTo(LANES);
    }

    private static String[] serials(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> String.format("%s%03d", prefix, i)).toArray(String[]::new);
    }
}
