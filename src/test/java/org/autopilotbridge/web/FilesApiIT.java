package org.autopilotbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.AutopilotBridgeApplication;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.Multipart;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The files API as a script uses it, with a plain HTTP client and the console's login: a file uploaded goes the way of
 * a dropped one, against the strict Graph stand-in, and its reports are the ones in done and dead-letter.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"autopilot.console.user=ops", "autopilot.console.password=" + FilesApiIT.PASSWORD,
                "autopilot.web.max-upload=256KB"})
@DirtiesContext
class FilesApiIT {

    static final String PASSWORD = "files-api-pw-71c2";
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final GraphStandIn GRAPH = new GraphStandIn("files-api-secret-" + UUID.randomUUID());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Random random = new Random(25);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void importsAnUploadedFileAsADroppedOneAndHandsOutTheReportsOfDoneAndDeadLetter() throws Exception {
        byte[] csv = hashFile("API-1", "API-2", "API-3-R808-");
        HttpResponse<String> answer = upload("fleet.csv", csv, basic());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = JSON.readTree(answer.body()).path("id").asText();
        assertThat(answer.headers().firstValue("Location")).hasValue("/api/files/" + id);

        JsonNode file = awaitState(answer.headers().firstValue("Location").orElseThrow(), "finished");
        assertThat(file.path("id").asText()).isEqualTo(id);
        assertThat(file.path("name").asText()).isEqualTo("fleet.csv");
        assertThat(file.path("source").asText()).isEqualTo("upload");
        assertThat(Instant.parse(file.path("received").asText())).isBefore(Instant.parse(file.path("finished").asText()));
        assertThat(file.path("lines").asLong()).isEqualTo(3);
        assertThat(file.path("counts").path("imported").asLong()).isEqualTo(2);
        assertThat(file.path("counts").path("other-tenant").asLong()).isEqualTo(1);
        assertThat(GRAPH.imports().registrations("API-1")).isEqualTo(1);

        HttpResponse<byte[]> results = getBytes(file.path("links").path("results").asText());
        assertThat(results.statusCode()).isEqualTo(200);
        assertThat(results.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(results.body()).isEqualTo(Files.readAllBytes(FOLDERS.done().resolve("fleet.csv.results.csv")));
        HttpResponse<byte[]> failed = getBytes(file.path("links").path("failedRows").asText());
        assertThat(failed.body()).isEqualTo(Files.readAllBytes(FOLDERS.deadLetter().resolve("fleet.csv.failed.csv")));
        assertThat(FOLDERS.done().resolve("fleet.csv")).hasBinaryContent(csv);

        JsonNode byNumber = JSON.readTree(get("/api/files/" + file.path("fileNo").asLong(), basic()).body());
        assertThat(byNumber.path("id").asText()).as("the ledger's number finds the upload too").isEqualTo(id);
        JsonNode list = JSON.readTree(get("/api/files", basic()).body());
        assertThat(list.findValuesAsText("id")).contains(id);
    }

    @Test
    void refusesAFileThatIsNotAHashFileAndSaysWhy() throws Exception {
        HttpResponse<String> answer = upload("notes.csv", "Shopping list\r\nmilk\r\n".getBytes(StandardCharsets.UTF_8), basic());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

        JsonNode file = awaitState(answer.headers().firstValue("Location").orElseThrow(), "refused");
        assertThat(file.path("source").asText()).isEqualTo("upload");
        assertThat(file.path("reason").asText()).contains("Hardware Hash");
        assertThat(file.path("links").has("results")).isFalse();
        assertThat(get("/api/files/" + file.path("id").asText() + "/results.csv", basic()).statusCode()).isEqualTo(404);
        assertThat(FOLDERS.deadLetter().resolve("notes.csv")).exists();
    }

    @Test
    void refusesAnUploadOverTheLimitOrUnderANameTheInboxSkipsAndPutsNothingIntoTheInbox() throws Exception {
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            serials.add("BIG-" + i);
        }
        byte[] csv = hashFile(serials.toArray(String[]::new));
        assertThat(csv.length).isGreaterThan(256 * 1024);

        HttpResponse<String> answer = upload("big.csv", csv, basic());
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(answer.body()).path("error").asText()).contains("autopilot.web.max-upload");
        HttpResponse<String> hidden = upload(".fleet.csv", hashFile("HIDDEN-1"), basic());
        assertThat(hidden.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(hidden.body()).path("error").asText()).contains("starts with a dot");
        assertThat(inbox()).isEmpty();
        assertThat(GRAPH.imports().registrations("BIG-1")).isZero();
    }

    @Test
    void letsNothingInWithoutTheLogin() throws Exception {
        assertThat(get("/api/files", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/files/1", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/files/1/results.csv", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/files", "Basic " + base64("ops:not-the-password")).statusCode()).isEqualTo(401);
        assertThat(upload("anonymous.csv", hashFile("ANON-1"), null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(url("/files")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(inbox()).isEmpty();
    }

    @Test
    void refusesWhatABrowserPostsWithoutTheCsrfToken() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
        String loginForm = browser.send(HttpRequest.newBuilder(url("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(loginForm);
        assertThat(csrf.find()).as(loginForm).isTrue();
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(url("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=ops&password=" + PASSWORD + "&_csrf=" + csrf.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("Location")).as("logged in").hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        String self = "http://127.0.0.1:" + port;

        assertThat(upload(browser, "page.csv", hashFile("CSRF-1"), null, "Origin", self).statusCode()).isEqualTo(403);
        assertThat(upload(browser, "page.csv", hashFile("CSRF-1"), null, "Origin", "http://attacker.example").statusCode()).isEqualTo(403);
        // Basic credentials a browser keeps do not make a page's request a script's: Spring answers the refusal through
        // its error page, which the request never logged in to, so with 401.
        assertThat(upload(HTTP, "page.csv", hashFile("CSRF-1"), basic(), "Origin", self).statusCode()).isEqualTo(401);
        assertThat(upload(HTTP, "page.csv", hashFile("CSRF-1"), basic(), "Sec-Fetch-Mode", "cors").statusCode()).isEqualTo(401);
        assertThat(inbox()).isEmpty();

        String token = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        HttpResponse<String> withToken = upload(browser, "page.csv", hashFile("CSRF-1"), null, "Origin", self, "X-XSRF-TOKEN", token);
        assertThat(withToken.statusCode()).as("the page's own upload: session, token and all").isEqualTo(202);
        awaitState(withToken.headers().firstValue("Location").orElseThrow(), "finished");
    }

    private JsonNode awaitState(String location, String state) {
        return Awaitility.await(location + " " + state).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(get(location, basic()).body()), file -> file.path("state").asText().equals(state));
    }

    private byte[] hashFile(String... serials) {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        for (String serial : serials) {
            lines.add(serial + "," + HashFiles.hash(random));
        }
        return HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM);
    }

    private HttpResponse<String> upload(String name, byte[] content, String authorization) throws Exception {
        return upload(HTTP, name, content, authorization);
    }

    private HttpResponse<String> upload(HttpClient client, String name, byte[] content, String authorization, String... headers)
            throws Exception {
        Multipart body = Multipart.file("file", name, content);
        HttpRequest.Builder request = HttpRequest.newBuilder(url("/api/files")).header("Content-Type", body.contentType())
                .header("Accept", "application/json").POST(body.publisher());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url(path)).header("Authorization", basic()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<Path> inbox() throws IOException {
        if (!Files.exists(FOLDERS.inbox())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(FOLDERS.inbox())) {
            return files.toList();
        }
    }

    private static String basic() {
        return "Basic " + base64("ops:" + PASSWORD);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
