package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.ClosedPort;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.Multipart;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.SftpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service of two tenants, as a reseller runs it (a dry run: where the files go is the point, not Graph): each
 * tenant's inbox is read for that tenant alone, its results and failed rows land in its own folders, the same file
 * for two tenants is no duplicate, a vendor's files are its tenant's, and a file dropped straight into
 * autopilot.inbox, where it is nobody's, goes to dead-letter with the folders it belongs in.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"autopilot.console.user=ops", "autopilot.console.password=" + TenantFilesIT.PASSWORD})
@DirtiesContext
class TenantFilesIT {

    static final String PASSWORD = "tenant-files-pw-5e1a";
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    /** Where Graph and the token endpoint would be: nothing listens, and a dry run never asks. */
    private static final ClosedPort NO_GRAPH = new ClosedPort();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path VENDOR_KEY = FOLDERS.root().resolve("vendor_id_rsa");
    private static final SftpServer VENDOR = new SftpServer(FOLDERS.root().resolve("sftp"),
            SftpServer.clientKey(VENDOR_KEY).getPublic()).start();

    private final Random random = new Random(23);

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        FOLDERS.register(registry);
        registry.add("autopilot.dry-run", () -> "true");
        registry.add("autopilot.authority-url", () -> "http://127.0.0.1:" + NO_GRAPH.port());
        registry.add("autopilot.graph-url", () -> "http://127.0.0.1:" + NO_GRAPH.port() + "/v1.0");
        registry.add("autopilot.group-tag", () -> "Pilot");
        registry.add("autopilot.tenants.contoso.tenant-id", () -> "contoso.onmicrosoft.com");
        registry.add("autopilot.tenants.contoso.group-tag", () -> "Contoso-Kiosk");
        registry.add("autopilot.tenants.fabrikam.tenant-id", () -> "fabrikam.onmicrosoft.com");
        VENDOR.registerVendor(registry, 0, "oem", "outbound", VENDOR_KEY,
                Files.writeString(FOLDERS.root().resolve("known_hosts"), VENDOR.knownHostsLine() + "\n"));
        registry.add("autopilot.vendors[0].tenant", () -> "fabrikam");
    }

    @AfterAll
    static void release() throws IOException {
        NO_GRAPH.close();
        VENDOR.close();
    }

    @Test
    void createsEachTenantsFoldersInTheTopLevelOnesAtStart() {
        for (String tenant : List.of("contoso", "fabrikam")) {
            assertThat(FOLDERS.inbox().resolve(tenant)).isDirectory();
            assertThat(FOLDERS.done().resolve(tenant)).isDirectory();
            assertThat(FOLDERS.deadLetter().resolve(tenant)).isDirectory();
        }
    }

    @Test
    void aFileInATenantsInboxIsThatTenantsWithItsGroupTagAndItsResultsAndFailedRowsInItsFolders() throws Exception {
        HashFiles.drop(FOLDERS.inbox().resolve("contoso"), "fleet.csv", csv("CON-1", "CON-2", "CON-3-broken"));

        List<Map<String, String>> results = CsvTable.read(ServiceFolders.await(FOLDERS.done().resolve("contoso"),
                "fleet.csv.results.csv", Duration.ofSeconds(60)));

        assertThat(results).extracting(r -> r.get("Outcome")).containsExactly("validated", "validated", "rejected");
        assertThat(jdbc.queryForObject("SELECT tenant FROM hash_file WHERE name = 'fleet.csv'", String.class)).isEqualTo("contoso");
        JsonNode identities = new ObjectMapper().readTree(FOLDERS.done().resolve("contoso").resolve("fleet.csv.identities.json").toFile());
        assertThat(identities).extracting(d -> d.path("groupTag").asText()).as("the tenant's group tag, not the top-level one")
                .containsExactly("Contoso-Kiosk", "Contoso-Kiosk");
        assertThat(FOLDERS.done().resolve("contoso").resolve("fleet.csv")).exists();
        assertThat(FOLDERS.deadLetter().resolve("contoso").resolve("fleet.csv.failed.csv")).exists();
        assertThat(FOLDERS.done().resolve("fleet.csv.results.csv")).doesNotExist();
        assertThat(FOLDERS.deadLetter().resolve("fleet.csv.failed.csv")).doesNotExist();
    }

    @Test
    void theSameFileForAnotherTenantIsThatTenantsOwnAndOnlyARepeatForTheSameTenantIsADuplicate() throws Exception {
        byte[] content = csv("SAME-1", "SAME-2");
        HashFiles.drop(FOLDERS.inbox().resolve("contoso"), "same.csv", content);
        ServiceFolders.await(FOLDERS.done().resolve("contoso"), "same.csv.results.csv", Duration.ofSeconds(60));
        HashFiles.drop(FOLDERS.inbox().resolve("fabrikam"), "same.csv", content);
        HashFiles.drop(FOLDERS.inbox().resolve("contoso"), "again.csv", content);

        List<Map<String, String>> fabrikam = CsvTable.read(ServiceFolders.await(FOLDERS.done().resolve("fabrikam"),
                "same.csv.results.csv", Duration.ofSeconds(60)));
        List<Map<String, String>> again = CsvTable.read(ServiceFolders.await(FOLDERS.done().resolve("contoso"),
                "again.csv.results.csv", Duration.ofSeconds(60)));

        assertThat(fabrikam).extracting(r -> r.get("Outcome")).containsExactly("validated", "validated");
        assertThat(again).extracting(r -> r.get("Outcome")).containsExactly("duplicate", "duplicate");
        JsonNode identities = new ObjectMapper().readTree(FOLDERS.done().resolve("fabrikam").resolve("same.csv.identities.json").toFile());
        assertThat(identities).extracting(d -> d.path("groupTag").asText()).as("a tenant without a group tag of its own takes "
                + "autopilot.group-tag").containsExactly("Pilot", "Pilot");
    }

    @Test
    void aVendorsFilesAreItsTenantsAndReportedInThatTenantsFolders() throws Exception {
        HashFiles.drop(Files.createDirectories(VENDOR.root().resolve("outbound")), "oem-order.csv", csv("OEM-1"));

        List<Map<String, String>> results = CsvTable.read(ServiceFolders.await(FOLDERS.done().resolve("fabrikam").resolve("oem"),
                "oem-order.csv.results.csv", Duration.ofSeconds(60)));

        assertThat(results).extracting(r -> r.get("Outcome")).containsExactly("validated");
        assertThat(jdbc.queryForObject("SELECT tenant FROM hash_file WHERE name = 'oem-order.csv'", String.class)).isEqualTo("fabrikam");
    }

    @Test
    void aTenantsFileThatIsNoHashFileGoesToThatTenantsDeadLetter() throws Exception {
        HashFiles.drop(FOLDERS.inbox().resolve("fabrikam"), "notes.csv", "Dear team,\r\nplease find the devices attached.\r\n"
                .getBytes(StandardCharsets.UTF_8));

        Path reason = ServiceFolders.await(FOLDERS.deadLetter().resolve("fabrikam"), "notes.csv.error.txt", Duration.ofSeconds(60));

        assertThat(Files.readString(reason)).contains("Fix the file and drop it into " + Path.of("inbox", "fabrikam") + " again.");
        // The reason is written first, then the file moved beside it, then the refusal recorded.
        ServiceFolders.await(FOLDERS.deadLetter().resolve("fabrikam"), "notes.csv", Duration.ofSeconds(60));
        Awaitility.await("notes.csv recorded as refused").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(jdbc.queryForMap("SELECT status, tenant FROM hash_file WHERE name = 'notes.csv'"))
                        .containsEntry("STATUS", "REFUSED").containsEntry("TENANT", "fabrikam"));
    }

    @Test
    void aFileDroppedStraightIntoTheInboxGoesToDeadLetterNamingTheTenantsInboxesAndIsNeverImported() throws Exception {
        HashFiles.drop(FOLDERS.inbox(), "nobodys.csv", csv("ROOT-1"));

        Path reason = ServiceFolders.await(FOLDERS.deadLetter(), "nobodys.csv.error.txt", Duration.ofSeconds(60));

        assertThat(Files.readString(reason)).contains("this service serves several tenants: drop the file into one of "
                + Path.of("inbox", "contoso") + ", " + Path.of("inbox", "fabrikam"))
                .contains("Drop it into the inbox of the tenant whose devices it holds.").doesNotContain("Fix the file");
        ServiceFolders.await(FOLDERS.deadLetter(), "nobodys.csv", Duration.ofSeconds(60));
        assertThat(FOLDERS.inbox().resolve("nobodys.csv")).doesNotExist();
        Awaitility.await("nobodys.csv recorded as refused").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(jdbc.queryForList("SELECT status FROM hash_file WHERE name = 'nobodys.csv'", String.class))
                        .containsExactly("REFUSED"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device WHERE serial_number = 'ROOT-1'", Integer.class)).isZero();
        assertThat(get("/files").body()).contains("nobodys.csv</a></th><td><span class=\"none\">none</span></td>");
    }

    @Test
    void anUploadGoesIntoTheInboxOfTheTenantItNamesAndOneNamingNoTenantIsRefused() throws Exception {
        HttpResponse<String> accepted = upload("uploaded.csv", csv("UP-1"), "fabrikam");
        HttpResponse<String> byQuery = upload(Multipart.file("file", "by-query.csv", csv("UP-4")), "?tenant=contoso");
        HttpResponse<String> unknown = upload("unknown.csv", csv("UP-2"), "northwind");
        HttpResponse<String> none = upload("none.csv", csv("UP-3"), null);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(byQuery.statusCode()).as(byQuery.body()).isEqualTo(202);
        ServiceFolders.await(FOLDERS.done().resolve("fabrikam"), "uploaded.csv.results.csv", Duration.ofSeconds(60));
        ServiceFolders.await(FOLDERS.done().resolve("contoso"), "by-query.csv.results.csv", Duration.ofSeconds(60));
        assertThat(get("/files").body()).contains("<th scope=\"col\">Tenant</th>").contains("uploaded.csv</a></th><td>fabrikam</td>")
                .contains("by-query.csv</a></th><td>contoso</td>");
        Iterable<JsonNode> listed = new ObjectMapper().readTree(get("/api/files").body());
        assertThat(listed).extracting(f -> f.path("name").asText() + " " + f.path("tenant").asText())
                .contains("uploaded.csv fabrikam", "by-query.csv contoso");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("No tenant is named 'northwind': send one of contoso, fabrikam");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("Name the tenant the file is for: send one of contoso, fabrikam");
        assertThat(FOLDERS.inbox().resolve("unknown.csv")).doesNotExist();
        assertThat(FOLDERS.inbox().resolve("none.csv")).doesNotExist();
    }

    @Test
    void theUploadFormAsksForTheTenant() throws Exception {
        HttpResponse<String> page = get("/files");

        assertThat(page.body()).contains("<select id=\"upload-tenant\" name=\"tenant\" required><option value=\"\">Choose the tenant"
                + "</option><option>contoso</option><option>fabrikam</option></select>");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", basic())
                .header("Accept", path.startsWith("/api") ? "application/json" : "text/html").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads as the files page does: the tenant in the form field "tenant", when there is one. */
    private HttpResponse<String> upload(String name, byte[] content, String tenant) throws Exception {
        return upload(Multipart.file("file", name, content, tenant == null ? Map.of() : Map.of("tenant", tenant)), "");
    }

    private HttpResponse<String> upload(Multipart body, String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/files" + query))
                .header("Content-Type", body.contentType()).header("Accept", "application/json")
                .header("Authorization", basic()).POST(body.publisher()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** A hash file of these serial numbers; one ending in "-broken" has a hash that is none. */
    private byte[] csv(String... serials) {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        for (String serial : serials) {
            lines.add(serial + "," + (serial.endsWith("-broken") ? "broken" : HashFiles.hash(random)));
        }
        return HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM);
    }
}
