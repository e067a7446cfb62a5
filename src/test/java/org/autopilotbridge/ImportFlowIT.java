package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn.ImportCall;
import org.autopilotbridge.testing.FileTrees;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service, routes as in routes/, ledger in a real H2 file, against a Graph stand-in on loopback:
 * files go in the inbox and come out in done and dead-letter.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ImportFlowIT {

    private static final String SECRET = "test-secret-" + UUID.randomUUID();
    private static final GraphStandIn GRAPH = new GraphStandIn(SECRET);
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Random random = new Random(3);

    @Autowired
    private JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        // Pages smaller than a batch, so that following a batch means following Graph's next links.
        GRAPH.staged().maxPageSize(100);
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.poll-timeout", () -> "4s");
        registry.add("autopilot.group-tag", () -> "Fleet");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void registersTwelveHundredDevicesInBatchesOfAtMost500WithOneToken() throws IOException {
        int tokensBefore = GRAPH.tokens().requests();
        int pagesBefore = GRAPH.staged().listPages();
        int batchesBefore = GRAPH.batches().calls();
        int deletesBefore = GRAPH.deletes();
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Windows Product ID,Hardware Hash"));
        for (int i = 1; i <= 1200; i++) {
            lines.add(String.format("BULK-%04d,,%s", i, HashFiles.hash(random)));
        }
        long start = System.nanoTime();
        HashFiles.drop(FOLDERS.inbox(), "bulk.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        Path results = ServiceFolders.await(FOLDERS.done(), "bulk.csv.results.csv", PATIENCE);
        long reported = (System.nanoTime() - start) / 1_000_000;
        GRAPH.staged().awaitCleanedUp("BULK-");
        System.out.printf("1,200-device file registered and reported in %d ms, cleaned up after %d ms; Graph requests: "
                        + "%d import, %d list pages, %d $batch deletes%n", reported, (System.nanoTime() - start) / 1_000_000,
                GRAPH.imports().callsFor("BULK-").size(), GRAPH.staged().listPages() - pagesBefore, GRAPH.batches().calls() - batchesBefore);

        List<Map<String, String>> rows = CsvTable.read(results);
        assertThat(rows).hasSize(1200);
        assertThat(rows).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        assertThat(rows.get(0)).containsEntry("Line", "2").containsEntry("Device Serial Number", "BULK-0001");
        assertThat(rows.get(1199)).containsEntry("Line", "1201").containsEntry("Device Serial Number", "BULK-1200");
        assertThat(rows).as("each imported line names its registered device").allSatisfy(row -> assertThat(
                row.get("Autopilot Device Id")).isEqualTo(GRAPH.devices().bySerial(row.get("Device Serial Number")).path("id").asText()));
        assertThat(rows.get(0).get("Autopilot Device Id")).isNotBlank();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device d JOIN hash_file f ON f.id = d.file_id WHERE f.name = ? "
                + "AND d.outcome IS NULL", Integer.class, "bulk.csv"))
                .as("each row written once, when its line was recorded: the batches' settling polls kept them imported")
                .isEqualTo(1200);

        List<ImportCall> calls = GRAPH.imports().callsFor("BULK-");
        assertThat(calls).allSatisfy(call -> assertThat(call.serials()).hasSizeLessThanOrEqualTo(500));
        assertThat(calls).extracting(ImportCall::status).containsOnly(200);
        assertThat(calls.stream().mapToInt(c -> c.serials().size()).sum()).isEqualTo(1200);
        for (int i = 1; i <= 1200; i++) {
            assertThat(GRAPH.imports().registrations(String.format("BULK-%04d", i))).isEqualTo(1);
        }
        assertThat(GRAPH.tokens().requests() - tokensBefore).as("token requests").isLessThanOrEqualTo(1);
        assertThat(GRAPH.staged().listPages() - pagesBefore).as("pages listed (100 records a page)").isGreaterThanOrEqualTo(3 * 5);
        assertThat(GRAPH.batches().calls() - batchesBefore).as("clean-up: 20 deletes per $batch call").isEqualTo(1200 / 20);
        assertThat(GRAPH.deletes() - deletesBefore).as("single DELETE calls").isZero();
        assertThat(FOLDERS.done().resolve("bulk.csv")).exists();
        assertThat(FOLDERS.inbox().resolve("bulk.csv")).doesNotExist();
        assertThat(FOLDERS.deadLetter().resolve("bulk.csv.failed.csv")).doesNotExist();
    }

    @Test
    void reportsEveryLineOfAMixedFileAndDeadLettersTheLinesThatDidNotImport() throws Exception {
        String header = "Manufacturer name,Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User,Device model";
        String refusedHash = HashFiles.hash(random);
        String otherTenantHash = HashFiles.hash(random);
        String unpadded = HashFiles.unpaddedHash(random);
        List<String> lines = List.of(header,
                "Contoso,MIX-OK-1,," + HashFiles.hash(random) + ",Sales,ana@contoso.com,Book 3",
                "Contoso,MIX-PAD-2,," + unpadded + ",,,Book 3",
                "Contoso,MIX-R806-3,," + HashFiles.hash(random) + ",,,Book 3",
                "Contoso,MIX-R808-4,," + otherTenantHash + ",,,Book 3",
                "Contoso,MIX-RERR-5,," + HashFiles.hash(random) + ",,,Book 3",
                "Contoso,MIX-RREFUSE-6,," + refusedHash + ",,,Book 3",
                "Contoso,,," + HashFiles.hash(random) + ",,,Book 3",
                "=cmd|' /C calc'!A0,MIX-BAD-8,,not-base64!,,,Book 3",
                "Contoso,MIX-OK-1,," + HashFiles.hash(random) + ",,,Book 3",
                "Contoso,MIX-RSTUCK-9,," + HashFiles.hash(random) + ",,,Book 3");
        HashFiles.drop(FOLDERS.inbox(), "mixed.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_16LE, HashFiles.UTF16LE_BOM));

        List<Map<String, String>> rows = FOLDERS.results("mixed.csv");

        assertThat(rows).extracting(r -> r.get("Line") + " " + r.get("Outcome") + " " + r.get("Error Code") + " " + r.get("Error Name"))
                .containsExactly(
                        "2 imported  ",
                        "3 imported  ",
                        "4 already-registered 806 ZtdDeviceAlreadyAssigned",
                        "5 other-tenant 808 ZtdDeviceAssignedToOtherTenant",
                        "6 failed 999 StorageError",
                        "7 failed 400 BadRequest",
                        "8 rejected  ",
                        "9 rejected  ",
                        "10 duplicate  ",
                        "11 timeout  ");
        assertThat(rows.get(5).get("Detail")).contains("cannot be parsed").contains("request-id");
        assertThat(rows.get(6).get("Detail")).isEqualTo("Device Serial Number is empty");
        assertThat(rows.get(7).get("Detail")).isEqualTo("Hardware Hash is not valid base64");
        assertThat(rows.get(8).get("Detail")).isEqualTo("serial number already on line 2");
        assertThat(rows).extracting(r -> !r.get("Autopilot Device Id").isEmpty())
                .containsExactly(true, true, false, false, false, false, false, false, false, false);

        assertThat(GRAPH.imports().lastSent("MIX-OK-1").path("groupTag").asText()).isEqualTo("Sales");
        assertThat(GRAPH.imports().lastSent("MIX-OK-1").path("assignedUserPrincipalName").asText()).isEqualTo("ana@contoso.com");
        assertThat(GRAPH.imports().lastSent("MIX-PAD-2").path("groupTag").asText()).as("default group tag").isEqualTo("Fleet");
        String sentHash = GRAPH.imports().lastSent("MIX-PAD-2").path("hardwareIdentifier").asText();
        assertThat(sentHash).startsWith(unpadded).hasSize(unpadded.length() + 1).endsWith("=");
        for (String serial : List.of("MIX-OK-1", "MIX-PAD-2", "MIX-R806-3", "MIX-R808-4", "MIX-RERR-5", "MIX-RSTUCK-9")) {
            assertThat(GRAPH.imports().registrations(serial)).as(serial).isEqualTo(1);
        }
        assertThat(GRAPH.imports().registrations("MIX-RREFUSE-6")).isZero();
        assertThat(GRAPH.imports().createCalls()).as("the isolated device went through the create endpoint").isPositive();
        GRAPH.staged().awaitCleanedUp("MIX-");

        Path failed = FOLDERS.deadLetter().resolve("mixed.csv.failed.csv");
        List<Map<String, String>> failedRows = CsvTable.read(failed);
        assertThat(failedRows).extracting(r -> r.get("Device Serial Number"))
                .containsExactly("MIX-R808-4", "MIX-RERR-5", "MIX-RREFUSE-6", "", "MIX-BAD-8", "MIX-RSTUCK-9");
        assertThat(failedRows).extracting(r -> r.get("Error").split(":")[0])
                .containsExactly("other-tenant", "failed", "failed", "rejected", "rejected", "timeout");
        assertThat(failedRows.get(4).get("Manufacturer name")).as("formula neutralised").isEqualTo("'=cmd|' /C calc'!A0");
        assertThat(failedRows.get(0).get("Device model")).isEqualTo("Book 3");

        List<DeviceRow> again = HashFiles.readBack(failed);
        assertThat(again).as("the failed-rows file reads back as a hash file").hasSize(6);
        assertThat(again.get(0).hardwareHash()).isEqualTo(otherTenantHash);
        assertThat(again.get(2).hardwareHash()).isEqualTo(refusedHash);
        assertThat(FOLDERS.done().resolve("mixed.csv")).exists();
    }

    @Test
    void neverReadsAFileThatIsStillBeingWritten() throws Exception {
        HashFiles.writeSlowly(FOLDERS.inbox().resolve("growing.csv"), random, "GROW-", 10, Duration.ofMillis(150));

        List<Map<String, String>> rows = FOLDERS.results("growing.csv");

        assertThat(rows).hasSize(10).allSatisfy(r -> assertThat(r.get("Outcome")).isEqualTo("imported"));
    }

    /**
     * A file renamed in whole keeps the time it was last written, so it is read at first sight, without watching it
     * stop changing. To tell the two apart without a clock, the file's size keeps changing (blank lines, skipped when
     * read) while its modification time is set back each time: watched for a stable size, it would never be read.
     */
    @Test
    void readsAFileThatArrivesWholeAtFirstSight() throws Exception {
        FileTime written = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Path staged = FOLDERS.inbox().resolveSibling("whole.csv");
        Files.write(staged, HashFiles.encode(List.of("Device Serial Number,Hardware Hash", "WHOLE-1," + HashFiles.hash(random),
                "WHOLE-2," + HashFiles.hash(random)), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        Files.setLastModifiedTime(staged, written);
        Path dropped = Files.move(staged, FOLDERS.inbox().resolve("whole.csv"), StandardCopyOption.ATOMIC_MOVE);

        boolean takenWhileChanging = false;
        for (long end = System.nanoTime() + PATIENCE.toNanos(); System.nanoTime() < end && !takenWhileChanging; ) {
            try {
                Files.write(dropped, "\r\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
                Files.setLastModifiedTime(dropped, written);
                Thread.sleep(100);
            } catch (NoSuchFileException e) {
                takenWhileChanging = true;
            }
        }

        assertThat(takenWhileChanging).as("taken out of the inbox while its size still changed").isTrue();
        List<Map<String, String>> rows = FOLDERS.results("whole.csv");
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r.get("Outcome")).isEqualTo("imported"));
    }

    @Test
    void unusableFilesGoWholeToDeadLetterWithTheReason() throws IOException {
        HashFiles.drop(FOLDERS.inbox(), "empty.csv", new byte[0]);
        HashFiles.drop(FOLDERS.inbox(), "hashes.xlsx", new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0});
        HashFiles.drop(FOLDERS.inbox(), "wrong-columns.csv", "Name,Model\r\nPC1,Book\r\n".getBytes(StandardCharsets.UTF_8));
        HashFiles.drop(FOLDERS.inbox(), "header-only.csv", "Device Serial Number,Hardware Hash\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(reason("empty.csv")).contains("the file is empty");
        assertThat(reason("hashes.xlsx")).contains("Excel workbook");
        assertThat(reason("wrong-columns.csv")).contains("no recognisable header").contains("found: Name, Model");
        assertThat(reason("header-only.csv")).contains("no device lines");
        for (String name : List.of("empty.csv", "hashes.xlsx", "wrong-columns.csv", "header-only.csv")) {
            assertThat(FOLDERS.deadLetter().resolve(name)).exists();
            assertThat(FOLDERS.inbox().resolve(name)).doesNotExist();
            assertThat(FOLDERS.done().resolve(name + ".results.csv")).doesNotExist();
        }
    }

    @Test
    void waitsAsLongAsRetryAfterSaysWhenGraphThrottles() throws IOException {
        GRAPH.imports().throttleNext(1, 2);
        HashFiles.drop(FOLDERS.inbox(), "throttled.csv", HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                "THR-1," + HashFiles.hash(random), "THR-2," + HashFiles.hash(random)), "\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        List<Map<String, String>> rows = FOLDERS.results("throttled.csv");

        assertThat(rows).extracting(r -> r.get("Outcome")).containsExactly("imported", "imported");
        List<ImportCall> calls = GRAPH.imports().callsFor("THR-");
        assertThat(calls).extracting(ImportCall::status).containsExactly(429, 200);
        assertThat(calls.get(1).atMillis() - calls.get(0).atMillis()).as("pause after 429").isGreaterThanOrEqualTo(2000);
        assertThat(GRAPH.imports().registrations("THR-1")).isEqualTo(1);
    }

    @Test
    void renewsAnExpiredTokenAndNeverWritesTheSecretAnywhere(CapturedOutput output) throws IOException {
        importOneDevice("EXP-1");
        // Clean-up follows the report: let it finish, so that only EXP-2's first call meets the expired token.
        GRAPH.staged().awaitCleanedUp("EXP-1");
        GRAPH.tokens().expireAll();
        int tokensBefore = GRAPH.tokens().requests();
        int refusedBefore = GRAPH.tokens().unauthorized();

        assertThat(importOneDevice("EXP-2")).containsExactly("imported");
        assertThat(GRAPH.tokens().unauthorized() - refusedBefore).as("calls refused with 401").isEqualTo(1);
        assertThat(GRAPH.tokens().requests() - tokensBefore).as("tokens fetched").isEqualTo(1);
        assertThat(output.getAll()).contains("Obtained an access token").doesNotContain(SECRET);
        assertThat(FileTrees.filesHolding(FOLDERS.root(), SECRET.getBytes(StandardCharsets.UTF_8))).as("files holding the secret")
                .isEmpty();
    }

    private List<String> importOneDevice(String serial) throws IOException {
        return FOLDERS.importDevices(serial + ".csv", random, serial).stream().map(r -> r.get("Outcome")).toList();
    }

    private static String reason(String name) throws IOException {
        return Files.readString(ServiceFolders.await(FOLDERS.deadLetter(), name + ".error.txt", PATIENCE));
    }
}
