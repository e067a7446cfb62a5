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
import java.util.stream.IntStream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.sync.AutopilotSync;
import org.autopilotbridge.testing.GraphStandIn.BatchDelete;
import org.autopilotbridge.testing.GraphStandIn.ImportCall;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What Graph does to a busy tenant, injected by the stand-in: each case ends with every device registered
 * exactly once, and the service carrying on. Outages, throttling and a refused credential fail no device.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class GraphFaultsIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("faults-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();

    private final Random random = new Random(5);

    @Autowired
    AutopilotSync sync;

    @Autowired
    @Qualifier("graph")
    HealthIndicator health;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.poll-timeout", () -> "5s");
        registry.add("autopilot.retry.max-attempts", () -> "3");
        registry.add("autopilot.retry.initial-backoff", () -> "50ms");
        // Short, so that the outages below outlast it: they must end nothing all the same.
        registry.add("autopilot.retry.max-wait", () -> "3s");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    @Order(1)
    void requestsOneSyncAfterImportsAndTreatsBusyAndThrottledAnswersAsLaterTries() throws IOException {
        GRAPH.faults().answerNextSyncs(409, 429);

        assertThat(outcomes(FOLDERS.importDevices("sync-a.csv", random, "SYNC-A1", "SYNC-A2"))).containsOnly("imported");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> GRAPH.faults().syncCalls().stream().map(ImportCall::status).toList(), calls -> calls.equals(List.of(409, 429, 204)));
        List<ImportCall> calls = GRAPH.faults().syncCalls();
        assertThat(calls.get(2).atMillis() - calls.get(1).atMillis()).as("waited for Retry-After").isGreaterThanOrEqualTo(1000);

        assertThat(outcomes(FOLDERS.importDevices("sync-b.csv", random, "SYNC-B1"))).containsOnly("imported");
        assertThat(sync.syncIfDue()).as("a second sync within 10 minutes").isFalse();
        assertThat(GRAPH.faults().syncCalls()).hasSize(3);
    }

    @Test
    void retriesAnUnavailableGraphAndRegistersEachDeviceOnce() throws IOException {
        GRAPH.imports().failNext(2, 503);

        assertThat(outcomes(FOLDERS.importDevices("unavailable.csv", random, "U503-1", "U503-2"))).containsOnly("imported");
        assertThat(GRAPH.imports().callsFor("U503-")).extracting(ImportCall::status).containsExactly(503, 503, 200);
        assertThat(GRAPH.imports().registrations("U503-1")).isEqualTo(1);
        assertThat(GRAPH.imports().registrations("U503-2")).isEqualTo(1);
    }

    @Test
    void sendsAgainOnlyTheDeletesGraphThrottledInsideABatchOnceTheirRetryAfterHasPassed() throws IOException {
        int before = GRAPH.batches().deletes().size();
        GRAPH.batches().throttleNextDeletes(2);

        assertThat(outcomes(FOLDERS.importDevices("cleanup.csv", random, "CLEAN-1", "CLEAN-2", "CLEAN-3"))).containsOnly("imported");
        // Earlier tests' clean-up may have met the throttling too: every delete since is judged, once all are done.
        GRAPH.staged().awaitCleanedUp("");

        List<BatchDelete> deletes = GRAPH.batches().deletes().subList(before, GRAPH.batches().deletes().size());
        List<BatchDelete> throttled = deletes.stream().filter(d -> d.status() == 429).toList();
        assertThat(throttled).as("deletes answered 429 (Retry-After: 1)").hasSize(2);
        for (BatchDelete delete : throttled) {
            assertThat(deletes.subList(deletes.indexOf(delete) + 1, deletes.size())).filteredOn(d -> d.url().equals(delete.url()))
                    .as("sent again once, after its Retry-After").singleElement()
                    .satisfies(again -> assertThat(again.status()).isEqualTo(204))
                    .satisfies(again -> assertThat(again.atMillis() - delete.atMillis()).isGreaterThanOrEqualTo(1000));
        }
        assertThat(deletes).filteredOn(d -> d.status() != 429).extracting(BatchDelete::url)
                .as("a delete Graph carried out is not sent again").doesNotHaveDuplicates();
    }

    @Test
    void adoptsWhatGraphDidWhenItsAnswerWasLostInsteadOfSendingAgain() throws IOException {
        GRAPH.imports().loseNextAnswer();

        assertThat(outcomes(FOLDERS.importDevices("lost.csv", random, "LOST-1", "LOST-2", "LOST-3"))).containsOnly("imported");
        assertThat(GRAPH.imports().callsFor("LOST-")).extracting(ImportCall::status).containsExactly(504);
        for (String serial : List.of("LOST-1", "LOST-2", "LOST-3")) {
            assertThat(GRAPH.imports().registrations(serial)).as(serial).isEqualTo(1);
        }
        GRAPH.staged().awaitCleanedUp("LOST-");
    }

    @Test
    void waitsOutAnOutageLongerThanTheRetryBoundAndFailsNoDevice(CapturedOutput output) throws Exception {
        GRAPH.staged().awaitCleanedUp("");
        // Three attempts per call, three seconds of waiting at most: Graph stays down for longer than both.
        GRAPH.faults().downFor(Duration.ofSeconds(8), 503);
        CompletableFuture<List<Map<String, String>>> rows = CompletableFuture.supplyAsync(() -> importDevices(
                "outage.csv", "OUT-1", "OUT-2"));

        Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> health.health().getStatus(), Status.DOWN::equals);
        assertThat(health.health().getDetails()).containsEntry("error", "Graph answered 503 ServiceUnavailable: The "
                + "service is temporarily unavailable.");
        assertThat(outcomes(rows.get(60, TimeUnit.SECONDS))).containsOnly("imported");
        assertThat(GRAPH.faults().refusedWhileDown()).as("calls tried during the outage").isGreaterThan(3);
        assertThat(GRAPH.imports().registrations("OUT-1")).isEqualTo(1);
        assertThat(GRAPH.imports().registrations("OUT-2")).isEqualTo(1);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        String log = output.getOut();
        assertThat(occurrences(log, "Graph cannot be used: Graph answered 503")).as("said once").isEqualTo(1);
        assertThat(occurrences(log, "Graph answers again after")).isEqualTo(1);
    }

    @Test
    void adoptsWhatGraphDidWhenAnImportIsAnswered500InsteadOfFailingOrSendingAgain() throws IOException {
        // A gateway's 500 or 502 may come after Graph stored the devices: their fate is unknown, like a 504's.
        GRAPH.imports().actThenFailNext(1, 500);

        assertThat(outcomes(FOLDERS.importDevices("answered-500.csv", random, "A500-1", "A500-2"))).containsOnly("imported");
        assertThat(GRAPH.imports().callsFor("A500-")).extracting(ImportCall::status).containsExactly(500);
        assertThat(GRAPH.imports().registrations("A500-1")).isEqualTo(1);
        assertThat(GRAPH.imports().registrations("A500-2")).isEqualTo(1);
    }

    @Test
    void waitsAtMostMaxWaitForAnAbsurdRetryAfterAndHoldsNothingBackForLonger(CapturedOutput output) throws IOException {
        GRAPH.imports().throttleNext(1, 99_999_999);

        assertThat(outcomes(FOLDERS.importDevices("absurd-wait.csv", random, "ABS-1"))).containsOnly("imported");
        assertThat(outcomes(FOLDERS.importDevices("after-absurd.csv", random, "ABS-2"))).containsOnly("imported");
        assertThat(occurrences(output.getOut(), "Graph asked to wait 99999999 s before the next call (Retry-After: "
                + "99999999); waiting at most autopilot.retry.max-wait (3 s) instead")).isEqualTo(1);
    }

    @Test
    void splitsABatchGraphFindsTooLargeUntilItFits() throws IOException {
        GRAPH.imports().maxBatch(100);
        try {
            String[] serials = IntStream.rangeClosed(1, 250).mapToObj(i -> "BIG-" + i).toArray(String[]::new);

            assertThat(outcomes(FOLDERS.importDevices("big.csv", random, serials))).hasSize(250).containsOnly("imported");
            List<ImportCall> calls = GRAPH.imports().callsFor("BIG-");
            assertThat(calls.get(0).serials()).hasSize(250);
            assertThat(calls.get(0).status()).isEqualTo(400);
            List<ImportCall> accepted = calls.stream().filter(c -> c.status() == 200).toList();
            assertThat(accepted).allSatisfy(c -> assertThat(c.serials()).hasSizeLessThanOrEqualTo(100));
            assertThat(accepted.stream().mapToInt(c -> c.serials().size()).sum()).isEqualTo(250);
            for (String serial : serials) {
                assertThat(GRAPH.imports().registrations(serial)).as(serial).isEqualTo(1);
            }
        } finally {
            GRAPH.imports().maxBatch(500);
        }
    }

    @Test
    void waitsWhileTheCredentialIsRefusedAndImportsOnceItWorksAgain() throws IOException {
        // Earlier tests' clean-up follows their reports; it must not be the call that meets the token fault.
        GRAPH.staged().awaitCleanedUp("");
        GRAPH.tokens().expireAll();
        GRAPH.tokens().failNext(2, 400);

        List<Map<String, String>> rows = FOLDERS.importDevices("refused-credential.csv", random, "CRED-1");

        assertThat(rows.get(0).get("Outcome")).isEqualTo("imported");
        assertThat(GRAPH.imports().registrations("CRED-1")).isEqualTo(1);
    }

    @Test
    void saysOnceThatGraphCannotBeReadWhileItIsDownAndOnceThatItWorksAgain(CapturedOutput output) throws IOException {
        GRAPH.staged().awaitCleanedUp("");
        // Nine failed reads: three times the attempts one poll makes before the outage opens.
        GRAPH.failNextReads(9, 503);

        assertThat(outcomes(FOLDERS.importDevices("graph-down.csv", random, "DOWN-1", "DOWN-2"))).containsOnly("imported");

        String log = output.getOut();
        assertThat(occurrences(log, "Graph cannot be used: Graph answered 503")).as("said once for nine failed reads")
                .isEqualTo(1);
        assertThat(occurrences(log, "Graph answers again after")).isEqualTo(1);
        assertThat(log).doesNotContain("retrying in").doesNotContain("cannot read its import state");
    }

    @Test
    void retriesAPassingTokenEndpointOutage() throws IOException {
        // Earlier tests' clean-up follows their reports; it must not be the call that meets the token fault.
        GRAPH.staged().awaitCleanedUp("");
        GRAPH.tokens().expireAll();
        // More failures than the three attempts of one token request: the import waits for the endpoint.
        GRAPH.tokens().failNext(5, 503);
        int before = GRAPH.tokens().requests();

        assertThat(outcomes(FOLDERS.importDevices("token-outage.csv", random, "TOK-1"))).containsOnly("imported");
        assertThat(GRAPH.tokens().requests() - before).isEqualTo(6);
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private List<Map<String, String>> importDevices(String name, String... serials) {
        try {
            return FOLDERS.importDevices(name, random, serials);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> outcomes(List<Map<String, String>> rows) {
        return rows.stream().map(r -> r.get("Outcome")).toList();
    }
}
