package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Health groups, Camel's routes and Prometheus metrics over HTTP, as a monitoring stack reads them. */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class ActuatorIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("actuator-secret");
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Path DASHBOARD = Path.of("deploy", "grafana", "autopilot-bridge.json");
    /** Counted over the shared ledger: every instance of a cluster reports the same, so a dashboard takes them once. */
    private static final Set<String> LEDGER_WIDE = Set.of("autopilot_files", "autopilot_devices");
    /** What each instance counts for itself, added up over the instances. */
    private static final Set<String> PER_INSTANCE = Set.of("autopilot_graph_calls_total", "autopilot_graph_throttled_total",
            "autopilot_tokens_total", "jvm_memory_used_bytes");
    /** Whether a tenant's Graph is held on an instance: held on any instance, shown as held. */
    private static final String HELD = "autopilot_graph_held";
    /** Labelled by tenant: each selects the tenants the dashboard's tenant variable holds. */
    private static final Set<String> PER_TENANT = Set.of("autopilot_files", "autopilot_devices", "autopilot_tokens_total", HELD);
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
    private static final Pattern LABELS = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)");
    /** An aggregation (sum, max, ...) directly around a selector, or around the one function (rate, delta) that takes it. */
    private static final Pattern AGGREGATED = Pattern.compile("(\\w+)(?: by \\(([^)]*)\\))?\\s*\\((?:\\w+\\()?([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        // Without a login, as an admin may set it on loopback: health shows this machine its details.
        registry.add("autopilot.console.login", () -> "false");
        registry.add("autopilot.poll-interval", () -> "200ms");
        Path knownHosts = Files.writeString(FOLDERS.root().resolve("known_hosts"),
                "[127.0.0.1]:1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        registry.add("autopilot.vendors[0].name", () -> "unreachable-oem");
        registry.add("autopilot.vendors[0].sftp.host", () -> "127.0.0.1");
        registry.add("autopilot.vendors[0].sftp.port", () -> "1");
        registry.add("autopilot.vendors[0].sftp.username", () -> "x");
        registry.add("autopilot.vendors[0].sftp.password", () -> "vendor-password-5b1f");
        registry.add("autopilot.vendors[0].sftp.known-hosts-file", knownHosts::toString);
        registry.add("autopilot.vendors[0].sftp.poll-interval", () -> "200ms");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void answersLivenessAndReadinessWithTheLedgerCamelGraphThePreflightChecksAndTheLeases() throws Exception {
        assertThat(get("/actuator/health/liveness").path("status").asText()).isEqualTo("UP");
        // The checks run in the background from start-up; a probe before their first run ends finds them UNKNOWN.
        Awaitility.await("the first run of the checks").atMost(Duration.ofSeconds(30)).until(() ->
                get("/actuator/health/readiness").path("components").path("preflight").path("status").asText(),
                status -> !status.equals("UNKNOWN"));
        HttpResponse<String> answer = text("/actuator/health/readiness");
        JsonNode readiness = JSON.readTree(answer.body());
        assertThat(answer.statusCode()).as("a vendor's failed check leaves the service ready").isEqualTo(200);
        assertThat(readiness.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(readiness.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").path("graph").path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").path("cluster").path("status").asText()).as("the ledger can be written").isEqualTo("UP");
        JsonNode preflight = readiness.path("components").path("preflight");
        assertThat(preflight.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(preflight.path("details").path("permission").asText()).isEqualTo("OK: the token carries DeviceManagementServiceConfig.ReadWrite.All");
        assertThat(preflight.path("details").path("autopilot.inbox").asText()).isEqualTo("OK: " + FOLDERS.inbox() + " is writable");
        assertThat(preflight.path("details").path("vendor unreachable-oem").asText())
                .startsWith("FAIL: cannot connect to 127.0.0.1:1: ConnectException: Connection refused");
        assertThat(readiness.toString()).doesNotContain("vendor-password-5b1f").doesNotContain("actuator-secret");
    }

    @Test
    void showsAVendorThatCannotBePolledAsDegradedWithoutTakingTheServiceDown() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/actuator/health").path("components").path("vendors").path("status").asText().equals("DEGRADED"));

        JsonNode health = get("/actuator/health");
        assertThat(health.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.path("components").path("vendors").path("details").path("unreachable-oem").asText())
                .contains("cannot poll").contains("Connection refused");
        assertThat(health.toString()).doesNotContain("vendor-password-5b1f").doesNotContain("actuator-secret");
    }

    @Test
    void listsCamelRoutesAndExportsPrometheusMetricsButNothingSensitive() throws Exception {
        FOLDERS.importDevices("metrics.csv", new Random(29), "METRIC-1", "METRIC-2");

        JsonNode routes = get("/actuator/camelroutes");
        assertThat(routes.findValuesAsText("id")).contains("inbox", "ingest", "submit", "track", "finish", "sync", "sftp-unreachable-oem");
        // The gauges read the ledger at most once a second: a scrape just before the file finished may still be served.
        Awaitility.await("the file's devices counted").atMost(Duration.ofSeconds(10)).until(() -> text("/actuator/prometheus").body(),
                body -> body.contains("autopilot_devices{outcome=\"imported\",tenant=\"default\"} 2.0"));
        String prometheus = text("/actuator/prometheus").body();
        assertThat(prometheus).contains("autopilot_graph_calls_total").contains("autopilot_tokens_total{tenant=\"default\"} 1.0")
                .contains("autopilot_graph_held{tenant=\"default\"} 0.0").contains("autopilot_last_error_timestamp_seconds");
        assertThat(text("/actuator/env").statusCode()).isEqualTo(404);
        assertThat(text("/actuator/configprops").statusCode()).isEqualTo(404);
    }

    @Test
    void answersOnLoopbackWithoutALoginOnlyRequestsAddressedToALoopbackName() throws Exception {
        assertThat(statusAddressedTo("127.0.0.1:" + port, "/actuator/prometheus")).isEqualTo(200);
        assertThat(statusAddressedTo("localhost:" + port, "/actuator/jolokia/version")).isEqualTo(200);
        // A site whose name was pointed at 127.0.0.1 after its page loaded: the browser sends the site's name.
        assertThat(statusAddressedTo("rebound.example:" + port, "/actuator/jolokia/version")).isEqualTo(403);
        assertThat(statusAddressedTo("rebound.example:" + port, "/actuator/prometheus")).isEqualTo(403);
    }

    /** The HTTP status of a GET sent to this service with the Host header a browser would send for {@code host}. */
    private int statusAddressedTo(String host, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void grafanaDashboardQueriesOnlyExportedMetricsAndTakesLedgerCountsOnce() throws Exception {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<String> exprs = dashboard.findValues("expr").stream().map(JsonNode::asText).toList();
        Set<String> used = new TreeSet<>();
        List<String> queries = new ArrayList<>(exprs);
        dashboard.path("templating").path("list").forEach(variable -> queries.add(variable.path("definition").asText()));
        for (String query : queries) {
            used.addAll(matches(SELECTOR, query));
            used.addAll(matches(LABEL_VALUES, query));
        }
        Set<String> exported = text("/actuator/prometheus").body().lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        assertThat(used).containsAll(LEDGER_WIDE).containsAll(PER_INSTANCE).contains(HELD, "autopilot_last_error_timestamp_seconds");
        assertThat(exported).as("metrics the dashboard queries").containsAll(used);
        assertThat(dashboard.path("templating").path("list")).anySatisfy(variable -> {
            assertThat(variable.path("name").asText()).isEqualTo("tenant");
            assertThat(variable.path("definition").asText()).startsWith("label_values(autopilot_files").endsWith(", tenant)");
            assertThat(variable.path("multi").asBoolean()).isTrue();
            assertThat(variable.path("includeAll").asBoolean()).isTrue();
        });

        for (String expr : exprs) {
            Matcher aggregated = AGGREGATED.matcher(expr);
            int selectors = matches(SELECTOR, expr).size();
            while (aggregated.find()) {
                selectors--;
                String metric = aggregated.group(3);
                if (LEDGER_WIDE.contains(metric)) {
                    assertThat(aggregated.group(1)).as("taken once over the instances: " + expr).isEqualTo("max");
                    assertThat(aggregated.group(2)).as("each tenant taken once, not the largest tenant: " + expr).contains("tenant");
                } else if (PER_INSTANCE.contains(metric)) {
                    assertThat(aggregated.group(1)).as("added up over the instances: " + expr).isEqualTo("sum");
                } else if (HELD.equals(metric)) {
                    assertThat(aggregated.group(1)).as("held on any instance: " + expr).isEqualTo("max");
                }
            }
            assertThat(selectors).as("every series aggregated over the instances: " + expr).isZero();
            Matcher selector = LABELS.matcher(expr);
            while (selector.find()) {
                if (PER_TENANT.contains(selector.group(1))) {
                    assertThat(selector.group(2)).as("the tenants selected: " + expr).contains("tenant=~\"$tenant\"");
                }
            }
        }
    }

    private static List<String> matches(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(text(path).body());
    }

    private HttpResponse<String> text(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
