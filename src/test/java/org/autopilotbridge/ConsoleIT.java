package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.autopilotbridge.monitor.BridgeMonitor;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HeadlessChromium;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.SftpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
 * The web console as an operator meets it with the login that is on by default, once an account is set: Hawtio in a
 * real browser, Jolokia over HTTP, and what stays closed, also to a page of another site open in the operator's
 * browser, and health's details to a caller without the login. A vendor logs in with a password, which no MBean may
 * show.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"autopilot.console.user=ops", "autopilot.console.password=" + ConsoleIT.PASSWORD})
@DisableJmx(false)
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class ConsoleIT {

    static final String PASSWORD = "console-pw-5e0c-long";
    private static final String SERVICE = BridgeMonitor.OBJECT_NAME;
    private static final String SUBMIT_ROUTE = "org.apache.camel:context=autopilot-bridge,type=routes,name=\"submit\"";
    private static final String CONTEXT = "org.apache.camel:context=autopilot-bridge,type=context,name=\"autopilot-bridge\"";
    private static final String FOREIGN = "http://attacker.example";
    /** A part of the vendor's password that survives any URI encoding. */
    private static final String VENDOR_PASSWORD_PART = "w0rd";

    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final KeyPair CLIENT_KEY = SftpServer.clientKey(FOLDERS.root().resolve("vendor_id_rsa"));
    private static final SftpServer VENDOR = new SftpServer(FOLDERS.root().resolve("sftp"), CLIENT_KEY.getPublic()).start();
    private static final GraphStandIn GRAPH = new GraphStandIn("console-secret-" + UUID.randomUUID());
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    private ConsoleClient console;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        // The one sync Graph sees is then the one the console asked for.
        registry.add("autopilot.sync", () -> "false");
        registry.add("spring.jmx.enabled", () -> "true");
        Path knownHosts = Files.writeString(FOLDERS.root().resolve("known_hosts"), VENDOR.knownHostsLine() + "\n");
        Files.createDirectories(VENDOR.root().resolve("outbound"));
        registry.add("autopilot.vendors[0].name", () -> "legacy-oem");
        registry.add("autopilot.vendors[0].sftp.host", () -> "127.0.0.1");
        registry.add("autopilot.vendors[0].sftp.port", VENDOR::port);
        registry.add("autopilot.vendors[0].sftp.username", () -> SftpServer.PASSWORD_USER);
        registry.add("autopilot.vendors[0].sftp.password", () -> SftpServer.PASSWORD);
        registry.add("autopilot.vendors[0].sftp.known-hosts-file", knownHosts::toString);
        registry.add("autopilot.vendors[0].sftp.directory", () -> "outbound");
        registry.add("autopilot.vendors[0].sftp.poll-interval", () -> "300ms");
    }

    @BeforeEach
    void connect() {
        console = new ConsoleClient(port, "ops", PASSWORD);
    }

    @AfterAll
    static void stop() throws IOException {
        VENDOR.close();
        GRAPH.close();
    }

    @Test
    void readsRouteAndServiceAttributesAndInvokesTheServiceLeversThroughJolokia() throws Exception {
        FOLDERS.importDevices("console.csv", new Random(31), "CON-1", "CON-2");

        JsonNode route = console.jolokia("read/" + SUBMIT_ROUTE + "/RouteId,State,ExchangesTotal");
        assertThat(route.path("status").asInt()).isEqualTo(200);
        assertThat(route.path("value").path("RouteId").asText()).isEqualTo("submit");
        assertThat(route.path("value").path("State").asText()).isEqualTo("Started");
        assertThat(route.path("value").path("ExchangesTotal").asLong()).isPositive();
        JsonNode service = console.jolokia("read/" + SERVICE + "/FilesFinished,DevicesPending");
        assertThat(service.path("value").path("FilesFinished").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(service.path("value").path("DevicesPending").asLong()).isZero();

        assertThat(console.exec(SERVICE, "recheckPendingNow()").path("value").asInt(-1)).as("no batch left to follow").isZero();
        assertThat(GRAPH.faults().syncCalls()).as("no sync requested by itself").isEmpty();
        assertThat(console.exec(SERVICE, "syncNow").path("value").asText()).isEqualTo("sync requested");
        assertThat(console.exec(SERVICE, "syncNow").path("value").asText()).as("Graph's 10-minute rule").startsWith("sync wanted");
        assertThat(GRAPH.faults().syncCalls()).extracting(GraphStandIn.ImportCall::status).containsExactly(204);
    }

    @Test
    void refusesEveryWriteAndEveryOtherOperation() throws Exception {
        JsonNode stop = console.exec(SUBMIT_ROUTE, "stop()");
        assertThat(stop.path("status").asInt()).isEqualTo(403);
        assertThat(stop.path("error").asText()).contains("forbidden");
        JsonNode write = console.jolokia("write/" + CONTEXT + "/Tracing/true");
        assertThat(write.path("status").asInt()).isEqualTo(403);
        assertThat(console.exec("java.lang:type=Memory", "gc").path("status").asInt()).isEqualTo(403);
        assertThat(console.exec(SERVICE, "getLastError").path("status").asInt()).isEqualTo(403);

        assertThat(console.jolokia("read/" + SUBMIT_ROUTE + "/State").path("value").asText()).isEqualTo("Started");
        assertThat(console.jolokia("read/" + CONTEXT + "/Tracing").path("value").asBoolean()).isFalse();
    }

    @Test
    void runsOnlyTheCamelDumpsOfHawtiosRouteViewsAndNeverWithPlaceholdersResolved() throws Exception {
        JsonNode routes = console.exec(CONTEXT, "dumpRoutesAsXml()");
        assertThat(routes.path("status").asInt()).isEqualTo(200);
        assertThat(routes.path("value").asText()).contains("id=\"submit\"");
        JsonNode stats = console.exec(CONTEXT, "dumpRoutesStatsAsXml", true, true);
        assertThat(stats.path("value").asText()).contains("<routeStat").contains("id=\"submit\"");
        JsonNode routeStats = console.exec(SUBMIT_ROUTE, "dumpRouteStatsAsXml(boolean,boolean)", true, true);
        assertThat(routeStats.path("value").asText()).contains("id=\"submit\"");

        assertThat(console.exec(CONTEXT, "dumpRoutesAsXml(boolean)", true).path("status").asInt()).as("resolving placeholders").isEqualTo(403);
        assertThat(console.exec(CONTEXT, "dumpRoutesAsXml", true).path("status").asInt()).as("the overload picked by its arguments").isEqualTo(403);
        assertThat(console.exec(CONTEXT, "dumpRoutesAsXml(boolean,boolean)", true, false).path("status").asInt()).isEqualTo(403);
        assertThat(console.exec(CONTEXT, "dumpRoutesAsYaml()").path("status").asInt()).isEqualTo(403);
        assertThat(console.exec(SUBMIT_ROUTE, "dumpRouteAsXml(boolean)", true).path("status").asInt()).isEqualTo(403);
        // Refused before Camel is asked: these two exist only while camel.main.dump-routes or backlog tracing is on.
        String dumpStrategy = "org.apache.camel:context=autopilot-bridge,type=services,name=DefaultDumpRoutesStrategy";
        assertThat(console.exec(dumpStrategy, "dumpRoutes(java.lang.String)", "yaml").path("status").asInt())
                .as("writes the routes to files or the log").isEqualTo(403);
        String tracer = "org.apache.camel:context=autopilot-bridge,type=tracer,name=BacklogTracer";
        assertThat(console.exec(tracer, "dumpAllTracedMessagesAsXml()").path("status").asInt()).as("message headers").isEqualTo(403);
    }

    @Test
    void connectsToNoJmxServerThatARequestNames() throws Exception {
        try (ServerSocketChannel jmx = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            jmx.configureBlocking(false);
            String url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + ((InetSocketAddress) jmx.getLocalAddress()).getPort() + "/jmxrmi";
            console.post(Map.of(), JSON.writeValueAsString(Map.of("type", "read", "mbean", "java.lang:type=Memory",
                    "attribute", "HeapMemoryUsage", "target", Map.of("url", url))));
            assertThat(jmx.accept()).as("a connection from Jolokia's JSR-160 proxy").isNull();
        }
    }

    @Test
    void refusesPagesOfOtherSitesAndOperationsSentByGet() throws Exception {
        String lastSync = SERVICE + "/LastSync";
        HttpResponse<String> foreign = console.jolokiaGet("read/" + lastSync, "Origin", FOREIGN);
        assertThat(foreign.headers().allValues("Access-Control-Allow-Origin")).isEmpty();
        assertThat(ConsoleClient.refused(foreign)).as(foreign.body()).isTrue();
        assertThat(ConsoleClient.refused(console.jolokiaGet("read/" + lastSync, "Referer", FOREIGN + "/page.html"))).isTrue();
        assertThat(ConsoleClient.refused(console.jolokiaGet("read/" + lastSync, "Origin", "null"))).as("a sandboxed page").isTrue();
        String self = "http://127.0.0.1:" + port;
        HttpResponse<String> sameSite = console.jolokiaGet("read/" + lastSync, "Origin", self);
        assertThat(JSON.readTree(sameSite.body()).path("status").asInt()).isEqualTo(200);
        assertThat(console.jolokiaGet("read/" + lastSync, "Referer", self + "/actuator/hawtio/jmx").statusCode()).isEqualTo(200);

        // What an image tag on any page can send: a GET, with neither Origin nor Referer (referrerpolicy=no-referrer).
        assertThat(ConsoleClient.refused(console.jolokiaGet("exec/" + SERVICE + "/syncNow"))).isTrue();
        assertThat(ConsoleClient.refused(console.jolokiaGet("exec/" + SERVICE + "/recheckPendingNow", "Origin", FOREIGN))).isTrue();
        assertThat(ConsoleClient.refused(console.jolokiaGet("exec/" + CONTEXT + "/dumpRoutesAsXml()"))).isTrue();
        assertThat(console.exec(Map.of("Origin", FOREIGN), SERVICE, "syncNow").path("status").asInt()).isEqualTo(403);
        assertThat(console.exec(Map.of("Origin", self), SERVICE, "recheckPendingNow").path("status").asInt()).isEqualTo(200);
    }

    @Test
    void showsTheVendorsPasswordInNoMBeanAndNoCommandLine() throws Exception {
        Awaitility.await("the vendor polled with its password").atMost(Duration.ofSeconds(30)).until(() ->
                JSON.readTree(console.get("/actuator/health", "ops", PASSWORD).body()).path("components").path("vendors").path("details")
                        .path("legacy-oem").asText().startsWith("polled at"));

        // Every attribute of every MBean, each MBean read on its own so that one that cannot be serialized spoils no other.
        List<Map<String, Object>> reads = new ArrayList<>();
        console.post(Map.of(), JSON.writeValueAsString(Map.of("type", "search", "mbean", "*:*"))).path("value")
                .forEach(name -> reads.add(Map.of("type", "read", "mbean", name.asText(), "config", Map.of("ignoreErrors", true))));
        JsonNode everything = console.post(Map.of(), JSON.writeValueAsString(reads));
        assertThat(everything.findValues("status")).filteredOn(status -> status.asInt() == 200).hasSizeGreaterThan(reads.size() / 2);
        String vendorRoute = "org.apache.camel:context=autopilot-bridge,type=routes,name=\"sftp-legacy-oem\"";
        // With placeholders resolved, the routes' XML would carry the password; it must be refused, not answered.
        String answers = everything + console.post(Map.of(), "{\"type\":\"list\"}").toString()
                + console.exec(CONTEXT, "dumpRoutesAsXml()") + console.exec(CONTEXT, "dumpRoutesStatsAsXml", true, true)
                + console.exec(CONTEXT, "dumpRoutesAsXml(boolean)", true) + console.exec(vendorRoute, "dumpRouteAsXml(boolean)", true);
        assertThat(answers).as("the vendor's route and its endpoint are there").contains("sftp-legacy-oem").contains("sftp://127.0.0.1:" + VENDOR.port());
        assertThat(answers).doesNotContain(SftpServer.PASSWORD).doesNotContain(VENDOR_PASSWORD_PART);

        assertThat(console.jolokia("read/java.lang:type=Runtime/SystemProperties").path("status").asInt()).isEqualTo(403);
        assertThat(console.jolokia("read/java.lang:type=Runtime/InputArguments").path("status").asInt()).isEqualTo(403);
        assertThat(console.jolokia("read/java.lang:type=Runtime/Uptime").path("value").asLong()).isPositive();
    }

    @Test
    void refusesAnonymousAndWrongLoginsButLetsProbesIn(CapturedOutput output) throws Exception {
        assertThat(console.get("/actuator/jolokia/read/" + ConsoleClient.encode(SERVICE) + "/FilesReceived", null, null).statusCode()).isEqualTo(401);
        assertThat(console.get("/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        assertThat(console.get("/actuator/camelroutes", null, null).statusCode()).isEqualTo(401);
        assertThat(console.get("/actuator/jolokia/version", "ops", "not-the-password").statusCode()).isEqualTo(401);
        HttpResponse<String> hawtio = console.get("/actuator/hawtio/", "text/html", null, null);
        assertThat(hawtio.statusCode()).isEqualTo(302);
        assertThat(hawtio.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        assertThat(console.get("/actuator/health/liveness", null, null).statusCode()).isEqualTo(200);
        assertThat(console.get("/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
        assertThat(console.get("/actuator/prometheus", "text/plain", "ops", PASSWORD).body()).contains("autopilot_files");
        assertThat(output.getAll()).doesNotContain(PASSWORD).doesNotContain("Using generated security password");
    }

    @Test
    void showsHealthsDetailsOnlyToTheLoginAndProbesTheStatusAlone() throws Exception {
        Awaitility.await("the first run of the checks").atMost(Duration.ofSeconds(30)).until(() ->
                JSON.readTree(console.get("/actuator/health/readiness", "ops", PASSWORD).body()).path("components").path("preflight")
                        .path("status").asText(), status -> !status.equals("UNKNOWN"));

        for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> anonymous = console.get(probe, null, null);
            assertThat(anonymous.statusCode()).as(probe).isEqualTo(200);
            // The root also names its groups (liveness, readiness): Spring Boot's, the same on every installation.
            assertThat(JSON.readTree(anonymous.body()).properties()).as(probe + ": " + anonymous.body())
                    .extracting(Map.Entry::getKey).contains("status").isSubsetOf("status", "groups");
            assertThat(anonymous.body()).doesNotContain(GraphStandIn.TENANT).doesNotContain(FOLDERS.inbox().toString());
        }
        JsonNode readiness = JSON.readTree(console.get("/actuator/health/readiness", "ops", PASSWORD).body());
        assertThat(readiness.path("components").path("graph").path("details").path("tenant").asText()).isEqualTo(GraphStandIn.TENANT);
        assertThat(readiness.path("components").path("preflight").path("details").path("autopilot.inbox").asText())
                .contains(FOLDERS.inbox().toString());
        assertThat(readiness.path("components").path("preflight").path("details").path("console").asText()).isEqualTo("OK: login as ops");
    }

    @Test
    void hasNoProxyServletThatFetchesUrlsForTheConsole() throws Exception {
        // Hawtio's proxy would fetch this service's own Prometheus page: any URL on this machine, for a browser. Off by
        // Hawtio's embedded default too; config/application.yml says so itself, so an upgrade cannot turn it on.
        HttpResponse<String> proxied = console.get("/actuator/hawtio/proxy/http/127.0.0.1/" + port + "/actuator/prometheus", "text/plain", "ops", PASSWORD);
        assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(404);
        assertThat(proxied.body()).doesNotContain("autopilot_files");
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
}
