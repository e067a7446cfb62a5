package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.ingest.VendorPollStrategy.VendorStatus;
import org.autopilotbridge.ingest.VendorPollStrategy;
import org.autopilotbridge.monitor.VendorsHealth;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.SftpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Vendors' SFTP drops against real SFTP servers (Apache MINA SSHD) with key authentication and host keys in
 * known_hosts: files are fetched once, processed like dropped files, and never fetched from a server whose
 * host key does not match.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class VendorSftpIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final GraphStandIn GRAPH = new GraphStandIn("sftp-test-secret");
    private static final Path CLIENT_KEY_FILE = FOLDERS.root().resolve("vendor_id_rsa");
    private static final KeyPair CLIENT_KEY = SftpServer.clientKey(CLIENT_KEY_FILE);
    private static final SftpServer SERVER = new SftpServer(FOLDERS.root().resolve("sftp"), CLIENT_KEY.getPublic()).start();
    private static final SftpServer LATE_SERVER = new SftpServer(FOLDERS.root().resolve("sftp-late"), CLIENT_KEY.getPublic());
    /** A server that does not jail its users: the login starts in /home/vendor, and / is the server's root. */
    private static final SftpServer UNJAILED = new SftpServer(FOLDERS.root().resolve("sftp-unjailed"), CLIENT_KEY.getPublic())
            .loginFolder("/home/vendor").start();

    private final Random random = new Random(13);

    @Autowired
    CamelContext camel;

    @Autowired
    VendorPollStrategy pollStrategy;

    @Autowired
    VendorsHealth vendorsHealth;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        Path knownHosts = Files.writeString(FOLDERS.root().resolve("known_hosts"),
                SERVER.knownHostsLine() + "\n" + LATE_SERVER.knownHostsLine() + "\n" + UNJAILED.knownHostsLine() + "\n");
        Path impostor = Files.writeString(FOLDERS.root().resolve("known_hosts_other"), SERVER.impostorKnownHostsLine() + "\n");
        vendor(registry, 0, "acme", "Acme-Fleet", SERVER, "acme", knownHosts);
        vendor(registry, 1, "globex", "Globex-Kiosk", SERVER, "globex", knownHosts);
        vendor(registry, 2, "mallory", "Mallory", SERVER, "mallory", impostor);
        vendor(registry, 3, "late", "Late", LATE_SERVER, "drop", knownHosts);
        vendor(registry, 4, "initech", "Initech", SERVER, "initech", knownHosts);
        registry.add("autopilot.vendors[4].sftp.private-key-file", () -> "");
        registry.add("autopilot.vendors[4].sftp.username", () -> SftpServer.PASSWORD_USER);
        registry.add("autopilot.vendors[4].sftp.password", () -> SftpServer.PASSWORD);
        registry.add("autopilot.vendors[4].sftp.delete", () -> "true");
        Files.createDirectories(UNJAILED.root().resolve("home/vendor/locked"));
        UNJAILED.refuseListing("/home/vendor/locked");
        vendor(registry, 5, "northwind", "Northwind", UNJAILED, "/outbound/hashes", knownHosts);
        Files.createDirectories(UNJAILED.root().resolve("outbound/umbrella"));
        vendor(registry, 6, "umbrella", "Umbrella", UNJAILED, "/outbound/umbrella", knownHosts);
        vendor(registry, 7, "cyberdyne", "Cyberdyne", UNJAILED, "locked", knownHosts);
    }

    private static void vendor(DynamicPropertyRegistry registry, int i, String name, String groupTag, SftpServer server,
                               String directory, Path knownHosts) {
        server.registerVendor(registry, i, name, directory, CLIENT_KEY_FILE, knownHosts);
        registry.add("autopilot.vendors[" + i + "].group-tag", () -> groupTag);
    }

    @AfterAll
    static void stop() throws IOException {
        SERVER.close();
        LATE_SERVER.close();
        UNJAILED.close();
        GRAPH.close();
    }

    @Test
    void fetchesEachVendorsFilesOnceAndGivesTheirDevicesTheVendorsGroupTag() throws IOException {
        upload(SERVER, "acme/acme-order-17.csv", "ACME-1", "ACME-2");
        upload(SERVER, "globex/globex.csv", "GLOBEX-1");

        List<Map<String, String>> acme = results("acme", "acme-order-17.csv");
        List<Map<String, String>> globex = results("globex", "globex.csv");

        assertThat(acme).extracting(r -> r.get("Outcome")).containsExactly("imported", "imported");
        assertThat(globex).extracting(r -> r.get("Outcome")).containsExactly("imported");
        assertThat(GRAPH.imports().lastSent("ACME-1").path("groupTag").asText()).isEqualTo("Acme-Fleet");
        assertThat(GRAPH.imports().lastSent("GLOBEX-1").path("groupTag").asText()).isEqualTo("Globex-Kiosk");
        assertThat(GRAPH.imports().registrations("ACME-1")).isEqualTo(1);
        assertThat(SERVER.root().resolve("acme/acme-order-17.csv")).as("left the server's folder").doesNotExist();
        assertThat(SERVER.root().resolve("acme/.done/acme-order-17.csv")).exists();
        assertThat(FOLDERS.done().resolve("acme/acme-order-17.csv")).as("original kept in done/<vendor>").exists();
        assertThat(camel.getRoute("sftp-acme")).as("stable route id").isNotNull();
    }

    @Test
    void logsInWithAPasswordWithoutEverWritingItAndDeletesFetchedFilesWhenToldTo(CapturedOutput output) throws IOException {
        upload(SERVER, "initech/tps.csv", "INITECH-1");

        assertThat(results("initech", "tps.csv")).extracting(r -> r.get("Outcome")).containsExactly("imported");
        assertThat(SERVER.root().resolve("initech/tps.csv")).doesNotExist();
        assertThat(SERVER.root().resolve("initech/.done")).doesNotExist();
        assertThat(output.getAll()).doesNotContain(SftpServer.PASSWORD).doesNotContain("p&ss");
    }

    @Test
    void neverFetchesFromAServerWhoseHostKeyDoesNotMatchAndSaysSoOnce() throws IOException {
        upload(SERVER, "mallory/bait.csv", "MAL-1");
        awaitPolls("mallory", 3);

        VendorStatus mallory = pollStrategy.status().get("mallory");
        assertThat(mallory.incident()).contains("HostKey has been changed").contains("[127.0.0.1]:" + SERVER.port());
        assertThat(mallory.lastSuccess()).isNull();
        assertThat(mallory.incidentsReported()).as("one log line for the whole incident").isEqualTo(1);
        assertThat(SERVER.root().resolve("mallory/bait.csv")).as("still on the server").exists();
        assertThat(FOLDERS.done().resolve("mallory")).doesNotExist();
        assertThat(GRAPH.imports().registrations("MAL-1")).isZero();
    }

    @Test
    void pollsAServerThatWasDownAtStartOnceItComesUp(CapturedOutput output) throws IOException {
        Awaitility.await().atMost(PATIENCE).until(() -> pollStrategy.status().containsKey("late"));
        assertThat(pollStrategy.status().get("late").incident()).contains("Connection refused");

        LATE_SERVER.start();
        upload(LATE_SERVER, "drop/late.csv", "LATE-1");

        assertThat(results("late", "late.csv")).extracting(r -> r.get("Outcome")).containsExactly("imported");
        assertThat(pollStrategy.status().get("late").incident()).isNull();
        assertThat(output.getAll()).contains("Vendor late: polling sftp://127.0.0.1:" + LATE_SERVER.port() + " works again");
    }

    @Test
    void takesAnAbsoluteFolderAsTheVendorGivesItAndCreatesNothingUnderTheLogin(CapturedOutput output) throws IOException {
        upload(UNJAILED, "outbound/hashes/northwind-1.csv", "NORTHWIND-1");

        assertThat(results("northwind", "northwind-1.csv")).extracting(r -> r.get("Outcome")).containsExactly("imported");
        Awaitility.await().atMost(PATIENCE).until(() -> Files.exists(UNJAILED.root().resolve("outbound/hashes/.done/northwind-1.csv")));
        assertThat(UNJAILED.root().resolve("outbound/hashes/northwind-1.csv")).doesNotExist();
        assertThat(UNJAILED.root().resolve("home/vendor/outbound")).as("nothing made under the login folder").doesNotExist();
        assertThat(output.getAll()).doesNotContain("doesn't support absolute paths");
    }

    @Test
    void aFolderThatIsGoneIsAnIncidentNamingVendorHostAndFolderAndIsNeverCreatedAgain(CapturedOutput output) throws IOException {
        Path folder = UNJAILED.root().resolve("outbound/umbrella");
        String line = "Vendor umbrella: cannot poll sftp://127.0.0.1:" + UNJAILED.port()
                + " folder /outbound/umbrella: the folder does not exist on the server";
        Awaitility.await().atMost(PATIENCE).until(() -> pollStrategy.status().containsKey("umbrella"));
        assertThat(pollStrategy.status().get("umbrella").incident()).isNull();

        Files.delete(folder);
        Awaitility.await().atMost(PATIENCE).until(() -> output.getAll().contains(line));
        awaitPolls("umbrella", 3);

        assertThat(output.getAll().split(java.util.regex.Pattern.quote(line), -1)).as("one log line for the incident").hasSize(2);
        assertThat(folder).as("not created again on the vendor's server").doesNotExist();
        assertThat(UNJAILED.root().resolve("home/vendor/outbound")).doesNotExist();
        Health health = vendorsHealth.health();
        assertThat(health.getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(health.getDetails().get("umbrella").toString()).contains("/outbound/umbrella").contains("does not exist");

        Files.createDirectories(folder);
        Awaitility.await().atMost(PATIENCE).until(() -> pollStrategy.status().get("umbrella").incident() == null);
    }

    @Test
    void aFolderTheServerWillNotListIsAnIncidentNotAnEmptyPoll() {
        Awaitility.await().atMost(PATIENCE).until(() -> pollStrategy.status().containsKey("cyberdyne"));

        VendorStatus cyberdyne = pollStrategy.status().get("cyberdyne");
        assertThat(cyberdyne.incident()).contains("folder locked").contains("cannot be listed: permission denied");
        assertThat(cyberdyne.lastSuccess()).isNull();
    }

    @Test
    void waitsForAFileThatIsStillBeingWrittenOnTheServer() throws Exception {
        HashFiles.writeSlowly(SERVER.root().resolve("acme/growing.csv"), random, "GROWING-", 8, Duration.ofMillis(200));

        assertThat(results("acme", "growing.csv")).hasSize(8).allSatisfy(r -> assertThat(r.get("Outcome")).isEqualTo("imported"));
    }

    @Test
    void aFileThatCannotBeUsedGoesToDeadLetterAndToFailedOnTheServer() throws IOException {
        Files.createDirectories(SERVER.root().resolve("globex"));
        Path junk = SERVER.root().resolve("globex/.junk.part");
        Files.write(junk, new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        Files.move(junk, SERVER.root().resolve("globex/hashes.xlsx"));

        Path reason = ServiceFolders.await(FOLDERS.deadLetter().resolve("globex"), "hashes.xlsx.error.txt", PATIENCE);

        assertThat(Files.readString(reason)).contains("From: globex").contains("Excel workbook");
        // The reason is written first, then the file moved beside it.
        ServiceFolders.await(FOLDERS.deadLetter().resolve("globex"), "hashes.xlsx", PATIENCE);
        Awaitility.await().atMost(PATIENCE).until(() -> Files.exists(SERVER.root().resolve("globex/.failed/hashes.xlsx")));
        assertThat(SERVER.root().resolve("globex/hashes.xlsx")).doesNotExist();
    }

    /** Waits until this vendor's server has been polled {@code more} times more than now. */
    private void awaitPolls(String vendor, int more) {
        Awaitility.await().atMost(PATIENCE).until(() -> pollStrategy.status().containsKey(vendor));
        long polls = pollStrategy.status().get(vendor).polls();
        Awaitility.await().atMost(PATIENCE).until(() -> pollStrategy.status().get(vendor).polls() >= polls + more);
    }

    private void upload(SftpServer server, String path, String... serials) throws IOException {
        StringBuilder csv = new StringBuilder("Device Serial Number,Hardware Hash\r\n");
        for (String serial : serials) {
            csv.append(serial).append(',').append(HashFiles.hash(random)).append("\r\n");
        }
        Path target = server.root().resolve(path);
        Files.createDirectories(target.getParent());
        HashFiles.drop(target.getParent(), target.getFileName().toString(), csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map<String, String>> results(String vendor, String name) throws IOException {
        return CsvTable.read(ServiceFolders.await(FOLDERS.done().resolve(vendor), name + ".results.csv", PATIENCE));
    }
}
