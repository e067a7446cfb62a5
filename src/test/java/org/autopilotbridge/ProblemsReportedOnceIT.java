package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Problems the service meets over and over (a ledger that cannot be read, a token endpoint that is down) are said
 * once per incident and never make it hang: the ledger routes' error handling (routes/90-errors.camel.yaml) and a readiness
 * probe that answers while the service backs off.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ProblemsReportedOnceIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("problems-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ROUTES = List.of("submit", "track", "cleanup", "finish");
    /**
     * A readiness probe must be answered whatever the service is waiting for (issue 11); this bounds a hang, and the
     * test shows the answer came during the outage by what the token endpoint had seen by then, not by a clock.
     */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

    @Autowired
    CamelContext camel;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        // Readiness's details (the AADSTS reason) without a login, as on loopback with autopilot.console.login=false.
        registry.add("autopilot.console.login", () -> "false");
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.retry.initial-backoff", () -> "2s");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void aLedgerThatCannotBeReadIsLoggedOncePerRouteAndItsRecoveryOnce(CapturedOutput output) throws Exception {
        // Work in flight from another test would meet the outage at other statements: other reasons, other lines.
        Awaitility.await("nothing in flight").atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM import_batch WHERE status <> 'DONE'", Integer.class) == 0);
        jdbc.execute("ALTER TABLE import_batch RENAME TO import_batch_away");
        String duringTheOutage;
        try {
            Awaitility.await("every route met the outage").atMost(Duration.ofSeconds(30))
                    .until(() -> ROUTES.stream().allMatch(route -> output.getOut().contains("Route " + route + " failed")));
            // Each route runs a few more times into the same outage, with nothing more to say.
            NotifyBuilder again = new NotifyBuilder(camel).fromRoute("submit").whenDone(3).and()
                    .fromRoute("track").whenDone(3).create();
            assertThat(again.matches(60, TimeUnit.SECONDS)).isTrue();
            // Read before the table comes back: a route meeting the rename itself fails once more, for another reason.
            duringTheOutage = output.getOut();
        } finally {
            jdbc.execute("ALTER TABLE import_batch_away RENAME TO import_batch");
        }
        Awaitility.await("every route works again").atMost(Duration.ofSeconds(30))
                .until(() -> ROUTES.stream().allMatch(route -> output.getOut().contains("Route " + route + " works again")));

        String log = output.getOut();
        for (String route : ROUTES) {
            assertThat(occurrences(duringTheOutage, "Route " + route + " failed: BadSqlGrammarException")
                    + occurrences(duringTheOutage, "Route " + route + " failed: JdbcSQLSyntaxErrorException"))
                    .as(route + " failures logged").isEqualTo(1);
            assertThat(occurrences(log, "Route " + route + " works again")).as(route + " recovery logged").isEqualTo(1);
        }
        assertThat(log).doesNotContain("\tat org.apache.camel");
        assertThat(FOLDERS.importDevices("after-ledger-outage.csv", new Random(3), "LEDGER-1"))
                .extracting(row -> row.get("Outcome")).containsExactly("imported");
    }

    @Test
    void readinessAnswersAtOnceDuringATokenOutageWithItsAadstsReason() throws Exception {
        // The service's first HTTP request loads classes for half a second; that is start-up, not the outage.
        PROBE.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.discarding());
        GRAPH.tokens().expireAll();
        GRAPH.tokens().failNext(3, 503);
        // The fourth token request from here is the first the endpoint answers with a token.
        int outageEnds = GRAPH.tokens().requests() + 4;
        // A Graph call meets the expired token, and the service fetches a new one through the outage, backing off
        // 2, 4 and 8 s (within the jitter) between attempts.
        HashFiles.drop(FOLDERS.inbox(), "during-outage.csv", HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                "OUTAGE-1," + HashFiles.hash(new Random(5))), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        Awaitility.await("readiness DOWN with the token endpoint's reason").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> readiness().path("components").path("graph").path("details").path("error").asText(),
                        error -> error.contains("AADSTS50196"));
        JsonNode down = readiness();
        assertThat(GRAPH.tokens().requests()).as("token requests when DOWN was answered: the outage still on").isLessThan(outageEnds);
        assertThat(down.path("status").asText()).isEqualTo("DOWN");
        assertThat(down.path("components").path("graph").path("status").asText()).isEqualTo("DOWN");

        Awaitility.await("readiness UP once a token is had").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> readiness().path("status").asText(), "UP"::equals);
        assertThat(ServiceFolders.await(FOLDERS.done(), "during-outage.csv.results.csv", Duration.ofSeconds(60))).exists();
    }

    /**
     * One readiness probe; it fails the test if it is not answered at all, or with a code a prober would
     * misread (a probe looks at the code alone: DOWN must be 503, UP 200).
     */
    private JsonNode readiness() throws Exception {
        HttpResponse<String> answer = PROBE.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/readiness")).timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode readiness = JSON.readTree(answer.body());
        assertThat(answer.statusCode()).as("HTTP status for " + readiness.path("status").asText())
                .isEqualTo(readiness.path("status").asText().equals("UP") ? 200 : 503);
        return readiness;
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
