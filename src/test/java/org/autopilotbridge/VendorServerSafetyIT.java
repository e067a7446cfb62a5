package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.autopilotbridge.testing.FileTrees.names;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.ingest.DeviceRowValidator;
import org.autopilotbridge.ingest.VendorPollStrategy;
import org.autopilotbridge.monitor.VendorsHealth;
import org.autopilotbridge.ops.SafeNames;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * Vendor servers that misbehave, against a real SFTP server (Apache MINA SSHD): one lists names that would lead out
 * of the folders the service writes to, one lets the service read its folder but not move or delete anything there.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class VendorServerSafetyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final GraphStandIn GRAPH = new GraphStandIn("sftp-safety-secret");
    private static final Path CLIENT_KEY_FILE = FOLDERS.root().resolve("vendor_id_rsa");
    private static final KeyPair CLIENT_KEY = SftpServer.clientKey(CLIENT_KEY_FILE);
    private static final SftpServer SERVER = new SftpServer(FOLDERS.root().resolve("sftp"), CLIENT_KEY.getPublic()).start();
    /**
     * Listed by the hostile server in its login folder, which the vendor "hostile" polls. Camel's work file for the
     * first would be state/sftp/hostile/x/../../../escaped.csv: state/escaped.csv, beside the ledger.
     */
    private static final String CLIMBING = "x/../../../escaped.csv";
    private static final List<String> REFUSED = List.of(CLIMBING, "colon:name.csv", "back\\slash.csv", "bell\u0007.csv",
            "two..dots.csv");

    @Autowired
    VendorPollStrategy pollStrategy;

    @Autowired
    VendorsHealth vendorsHealth;

    @Autowired
    JdbcTemplate ledger;

    @MockitoSpyBean
    DeviceRowValidator validator;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        Path knownHosts = Files.writeString(FOLDERS.root().resolve("known_hosts"), SERVER.knownHostsLine() + "\n");
        // Every hostile name is on the server before the first poll. The file a climbing name leads to (on the server, as
        // the server resolves it) is a real one, so that the server serves what it lists.
        Random random = new Random(20);
        upload("escaped.csv", random, "ESCAPED-1");
        SERVER.listAs("/escaped.csv", CLIMBING);
        // Its x exists on the server, so that what the name leads to can be listed and read there, as on a server
        // that means it.
        Files.createDirectories(SERVER.root().resolve("x"));
        for (int i = 1; i < REFUSED.size(); i++) {
            upload(REFUSED.get(i), random, "REFUSED-" + i);
        }
        upload("good.csv", random, "GOOD-1");
        Files.createDirectories(SERVER.root().resolve("readonly"));
        SERVER.readOnly("/readonly");
        vendor(registry, 0, "hostile", "", knownHosts);
        vendor(registry, 1, "stuck", "readonly", knownHosts);
    }

    private static void vendor(DynamicPropertyRegistry registry, int i, String name, String directory, Path knownHosts) {
        SERVER.registerVendor(registry, i, name, directory, CLIENT_KEY_FILE, knownHosts);
    }

    @AfterAll
    static void stop() throws IOException {
        SERVER.close();
        GRAPH.close();
    }

    @Test
    void refusesNamesThatCouldLeadOutOfItsFoldersBeforeAnythingIsWrittenAndSaysSoOnce(CapturedOutput output)
            throws IOException {
        ServiceFolders.await(FOLDERS.done().resolve("hostile"), "good.csv.results.csv", PATIENCE);
        awaitPolls("hostile", 3);

        try (Stream<Path> written = Files.walk(FOLDERS.root())) {
            assertThat(written.filter(p -> !p.startsWith(SERVER.root())).map(p -> p.getFileName().toString()))
                    .as("nothing named after a refused file anywhere the service writes")
                    .noneMatch(n -> n.contains("escaped") || n.contains("colon") || n.contains("slash")
                            || n.contains("bell") || n.contains("dots"));
        }
        assertThat(SERVER.root().resolve("escaped.csv")).as("left on the server").exists();
        for (String name : REFUSED.subList(1, REFUSED.size())) {
            assertThat(SERVER.root().resolve(name)).as("left on the server").exists();
        }
        assertThat(names(FOLDERS.done().resolve("hostile"))).containsExactlyInAnyOrder("good.csv", "good.csv.results.csv");
        assertThat(FOLDERS.deadLetter().resolve("hostile")).doesNotExist();
        assertThat(ledger.queryForObject("SELECT COUNT(*) FROM hash_file WHERE source = 'hostile'", Integer.class))
                .as("only good.csv recorded").isEqualTo(1);
        assertThat(GRAPH.imports().registrations("ESCAPED-1") + GRAPH.imports().registrations("REFUSED-1")).isZero();
        for (String name : REFUSED) {
            String line = "Vendor hostile: refused the file \"" + SafeNames.shown(name) + "\" listed by sftp://127.0.0.1";
            assertThat(output.getAll().split(Pattern.quote(line), -1)).as("one log line for %s", name).hasSize(2);
        }
        assertThat(output.getAll()).doesNotContain("\u0007");
    }

    @Test
    void aFolderWhereFilesCannotBeMovedHasEachFileTakenInOnceAndTheVendorDegraded(CapturedOutput output) throws IOException {
        upload("readonly/stuck.csv", new Random(4), "STUCK-1");

        ServiceFolders.await(FOLDERS.done().resolve("stuck"), "stuck.csv.results.csv", PATIENCE);
        awaitPolls("stuck", 5);

        assertThat(ledger.queryForObject("SELECT COUNT(*) FROM hash_file WHERE source = 'stuck'", Integer.class))
                .as("fetched and recorded once, not once per poll").isEqualTo(1);
        assertThat(names(FOLDERS.done().resolve("stuck"))).containsExactlyInAnyOrder("stuck.csv", "stuck.csv.results.csv");
        assertThat(GRAPH.imports().registrations("STUCK-1")).isEqualTo(1);
        assertThat(SERVER.root().resolve("readonly/stuck.csv")).as("the server would not let it go").exists();
        Health health = vendorsHealth.health();
        assertThat(health.getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(health.getDetails().get("stuck").toString())
                .contains("fetched files cannot be moved into .done or .failed on the server: ").contains("denied");
        String line = "Vendor stuck: fetched files cannot be moved into .done or .failed on the server: ";
        assertThat(output.getAll().split(Pattern.quote(line), -1)).as("one log line for the incident").hasSize(2);
        assertThat(output.getAll()).contains("(first: stuck.csv)").doesNotContain("Error during commit");
    }

    @Test
    void aFileWhoseProcessingBrokeIsLeftOnTheServerAndFetchedAgainNotMovedAwayUnread() throws IOException {
        // The first look at its line fails unexpectedly (a passing failure), every later one works.
        doThrow(new IllegalStateException("passing failure")).doCallRealMethod()
                .when(validator).validate(argThat(row -> row != null && "FLAKY-1".equals(row.serialNumber())), any());
        upload("flaky.csv", new Random(5), "FLAKY-1");

        Path results = ServiceFolders.await(FOLDERS.done().resolve("hostile"), "flaky.csv.results.csv", PATIENCE);

        assertThat(CsvTable.read(results)).extracting(r -> r.get("Outcome")).containsExactly("imported");
        assertThat(GRAPH.imports().registrations("FLAKY-1")).isEqualTo(1);
        assertThat(SERVER.root().resolve(".done/flaky.csv")).as("moved on the server once imported").exists();
        assertThat(ledger.queryForObject("SELECT COUNT(*) FROM hash_file WHERE name = 'flaky.csv'", Integer.class))
                .isEqualTo(1);
    }

    /** Waits until this vendor's server has been polled {@code more} times more than now. */
    private void awaitPolls(String vendor, int more) {
        Awaitility.await().atMost(PATIENCE).until(() -> pollStrategy.status().containsKey(vendor)
                && pollStrategy.status().get(vendor).polls() > 0);
        long polls = pollStrategy.status().get(vendor).polls();
        Awaitility.await().atMost(PATIENCE).until(() -> pollStrategy.status().get(vendor).polls() >= polls + more);
    }


    private static void upload(String path, Random random, String serial) {
        String csv = "Device Serial Number,Hardware Hash\r\n" + serial + "," + HashFiles.hash(random) + "\r\n";
        Path target = SERVER.root().resolve(path);
        try {
            Files.createDirectories(target.getParent());
            HashFiles.drop(target.getParent(), target.getFileName().toString(), csv.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
