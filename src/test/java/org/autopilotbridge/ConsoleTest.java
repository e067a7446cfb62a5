package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.autopilotbridge.ops.BridgeMonitor;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HeadlessChromium;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web console as an operator meets it when the service is reachable from other machines (a login is forced
 * here, on loopback): Hawtio in a real browser, Jolokia over HTTP, and what stays closed.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"autopilot.console.login=true", "autopilot.console.user=ops", "autopilot.console.password=" + ConsoleTest.PASSWORD})
@DisableJmx(false)
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class ConsoleTest {

    static final String PASSWORD = "console-pw-5e0c-long";
    private static final String SERVICE = BridgeMonitor.OBJECT_NAME;
    private static final String SUBMIT_ROUTE = "org.apache.camel:context=autopilot-bridge,type=routes,name=\"submit\"";

    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final GraphStandIn GRAPH = new GraphStandIn("console-secret-" + UUID.randomUUID());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("spring.jmx.enabled", () -> "true");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void readsRouteAndServiceAttributesAndInvokesTheServiceLeversThroughJolokia() throws Exception {
        FOLDERS.importDevices("console.csv", new Random(31), "CON-1", "CON-2");

        JsonNode route = jolokia("read/" + SUBMIT_ROUTE + "/RouteId,State,ExchangesTotal", "ops", PASSWORD);
        assertThat(route.path("status").asInt()).isEqualTo(200);
        assertThat(route.path("value").path("RouteId").asText()).isEqualTo("submit");
        assertThat(route.path("value").path("State").asText()).isEqualTo("Started");
        assertThat(route.path("value").path("ExchangesTotal").asLong()).isPositive();
        JsonNode service = jolokia("read/" + SERVICE + "/FilesFinished,DevicesPending", "ops", PASSWORD);
        assertThat(service.path("value").path("FilesFinished").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(service.path("value").path("DevicesPending").asLong()).isZero();

        assertThat(jolokia("exec/" + SERVICE + "/recheckPendingNow", "ops", PASSWORD).path("status").asInt()).isEqualTo(200);
        assertThat(jolokia("exec/" + SERVICE + "/syncNow", "ops", PASSWORD).path("value").asText()).isNotBlank();
        Awaitility.await("a sync").atMost(Duration.ofSeconds(30)).until(() -> successfulSyncs() >= 1);
        assertThat(successfulSyncs()).as("one sync however often it is asked for (Graph's 10-minute rule)").isEqualTo(1);
    }

    private static long successfulSyncs() {
        return GRAPH.syncCalls().stream().filter(c -> c.status() == 204).count();
    }

    @Test
    void refusesEveryWriteAndEveryOtherOperation() throws Exception {
        JsonNode stop = jolokia("exec/" + SUBMIT_ROUTE + "/stop", "ops", PASSWORD);
        assertThat(stop.path("status").asInt()).isEqualTo(403);
        assertThat(stop.path("error").asText()).contains("forbidden");
        JsonNode write = jolokia("write/org.apache.camel:context=autopilot-bridge,type=context,name=\"autopilot-bridge\"/Tracing/true", "ops", PASSWORD);
        assertThat(write.path("status").asInt()).isEqualTo(403);
        assertThat(jolokia("exec/java.lang:type=Memory/gc", "ops", PASSWORD).path("status").asInt()).isEqualTo(403);
        assertThat(jolokia("exec/" + SERVICE + "/getLastError", "ops", PASSWORD).path("status").asInt()).isEqualTo(403);

        assertThat(jolokia("read/" + SUBMIT_ROUTE + "/State", "ops", PASSWORD).path("value").asText()).isEqualTo("Started");
        assertThat(jolokia("read/org.apache.camel:context=autopilot-bridge,type=context,name=\"autopilot-bridge\"/Tracing", "ops", PASSWORD)
                .path("value").asBoolean()).isFalse();
    }

    @Test
    void refusesAnonymousAndWrongLoginsButLetsProbesIn(CapturedOutput output) throws Exception {
        assertThat(get("/actuator/jolokia/read/" + encode(SERVICE) + "/FilesReceived", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/camelroutes", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/jolokia/version", "ops", "not-the-password").statusCode()).isEqualTo(401);
        HttpResponse<String> console = get("/actuator/hawtio/", "text/html", null, null);
        assertThat(console.statusCode()).isEqualTo(302);
        assertThat(console.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        assertThat(get("/actuator/health/liveness", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", "text/plain", "ops", PASSWORD).body()).contains("autopilot_files");
        assertThat(output.getAll()).doesNotContain(PASSWORD).doesNotContain("Using generated security password");
    }

    @Test
    void logsInWithABrowserAndFindsTheSubmitRouteInHawtio() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver browser = chromium.driver();
            browser.get("http://127.0.0.1:" + port + "/actuator/hawtio/camel/routes");
            Awaitility.await("login form").atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.id("username")).isEmpty());
            browser.findElement(By.id("username")).sendKeys("ops");
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            Awaitility.await("the submit route in Hawtio's routes view").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !browser.findElements(By.xpath("//td[normalize-space()='submit']")).isEmpty());
            assertThat(browser.findElements(By.xpath("//td[normalize-space()='track']"))).isNotEmpty();
            Path screenshot = chromium.screenshot(Path.of("target", "console-routes.png"));
            assertThat(Files.size(screenshot)).isPositive();
        }
    }

    private JsonNode jolokia(String request, String user, String password) throws Exception {
        int slash = request.indexOf('/');
        String[] parts = request.substring(slash + 1).split("/", 2);
        String path = "/actuator/jolokia/" + request.substring(0, slash) + "/" + encode(parts[0]) + "/" + parts[1];
        HttpResponse<String> response = get(path, user, password);
        assertThat(response.statusCode()).as(request).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        return get(path, "application/json", user, password);
    }

    private HttpResponse<String> get(String path, String accept, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).header("Accept", accept);
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String encode(String mbean) {
        return URLEncoder.encode(mbean, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
