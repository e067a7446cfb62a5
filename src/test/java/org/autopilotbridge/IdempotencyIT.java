package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.ingest.DeviceRowValidator;
import org.autopilotbridge.testing.CsvTable;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * The same file twice, the same device twice, files that break processing, folders that cannot be written and
 * hostile content: every device still ends registered exactly once or in dead-letter with its reason.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class IdempotencyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final GraphStandIn GRAPH = new GraphStandIn("idempotency-secret");
    private static final ServiceFolders FOLDERS = ServiceFolders.create();

    private final Random random = new Random(17);

    @Autowired
    CamelContext camel;

    @MockitoSpyBean
    DeviceRowValidator validator;

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
    void theSameContentUnderAnotherNameIsReportedAndNotImportedAgain() throws IOException {
        byte[] content = csv("SAME-1", "SAME-2");
        HashFiles.drop(FOLDERS.inbox(), "monday.csv", content);
        assertThat(outcomes(FOLDERS.results("monday.csv"))).containsOnly("imported");

        HashFiles.drop(FOLDERS.inbox(), "monday-again.csv", content);
        List<Map<String, String>> again = FOLDERS.results("monday-again.csv");

        assertThat(outcomes(again)).containsOnly("duplicate");
        assertThat(again.get(0).get("Detail")).contains("same content as monday.csv").contains("outcome there: imported");
        assertThat(GRAPH.imports().registrations("SAME-1")).isEqualTo(1);
        assertThat(GRAPH.imports().registrations("SAME-2")).isEqualTo(1);
        assertThat(FOLDERS.done().resolve("monday-again.csv")).exists();
    }

    /**
     * An operator drops a corrected file under the same name while the first is being read: the file read is the file
     * that moves on, and the second is a file of its own, sent and reported in full.
     */
    @Test
    void aFileDroppedAgainUnderTheSameNameWhileTheFirstIsReadIsANewFile(CapturedOutput output) throws IOException {
        String[] first = IntStream.rangeClosed(1, 5000).mapToObj(i -> "REPL-A-" + i).toArray(String[]::new);
        byte[] firstContent = csv(first);
        byte[] secondContent = csv("REPL-B-1", "REPL-B-2", "REPL-B-3");
        HashFiles.drop(FOLDERS.inbox(), "replaced.csv", firstContent);
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5))
                .until(() -> output.getOut().contains("Reading replaced.csv from inbox (file #"));

        HashFiles.drop(FOLDERS.inbox(), "replaced.csv", secondContent);

        Awaitility.await().atMost(PATIENCE).until(() -> Files.exists(FOLDERS.done().resolve("replaced.csv.results.csv"))
                && Files.exists(FOLDERS.done().resolve("replaced-2.csv.results.csv")));
        for (String name : List.of("replaced.csv", "replaced-2.csv")) {
            byte[] original = Files.readAllBytes(FOLDERS.done().resolve(name));
            List<Map<String, String>> rows = FOLDERS.results(name);
            assertThat(original).as("the original beside %s's results", name).isIn(firstContent, secondContent);
            String serials = Arrays.equals(original, firstContent) ? "REPL-A-" : "REPL-B-";
            assertThat(rows).as(name).hasSize(Arrays.equals(original, firstContent) ? 5000 : 3)
                    .allSatisfy(row -> assertThat(row.get("Device Serial Number")).startsWith(serials))
                    .allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        }
        assertThat(Files.readAllBytes(FOLDERS.done().resolve("replaced.csv")))
                .isNotEqualTo(Files.readAllBytes(FOLDERS.done().resolve("replaced-2.csv")));
        for (String serial : List.of("REPL-A-1", "REPL-A-5000", "REPL-B-1", "REPL-B-3")) {
            assertThat(GRAPH.imports().registrations(serial)).as(serial).isEqualTo(1);
        }
    }

    /**
     * The data folder cannot take the file (a full disk, a permission): a problem of this machine, not of the file,
     * which stays in the inbox, is never refused, and is imported once it can be taken.
     */
    @Test
    void aFileThatCannotBeTakenIntoProcessingStaysInTheInboxAndIsNeverRefused(CapturedOutput output) throws Exception {
        Path reading = FOLDERS.dataDir().resolve("processing/reading/inbox");
        try (AutoCloseable unblock = block(reading)) {
            NotifyBuilder tries = new NotifyBuilder(camel).fromRoute("inbox").whenDone(6).create();
            HashFiles.drop(FOLDERS.inbox(), "untakeable.csv", csv("TAKE-1"));
            assertThat(tries.matches(60, TimeUnit.SECONDS)).as("polled and tried again").isTrue();
            assertThat(FOLDERS.inbox().resolve("untakeable.csv")).exists();
            assertThat(FOLDERS.deadLetter().resolve("untakeable.csv")).doesNotExist();
            assertThat(output.getOut().split("untakeable.csv from inbox: cannot take", -1)).as("said once").hasSize(2);
        }
        assertThat(outcomes(FOLDERS.results("untakeable.csv"))).containsOnly("imported");
        assertThat(GRAPH.imports().registrations("TAKE-1")).isEqualTo(1);
    }

    @Test
    void aDeviceRegisteredFromAnEarlierFileIsNotSentAgain() throws IOException {
        assertThat(outcomes(FOLDERS.importDevices("first.csv", random, "AGAIN-1"))).containsOnly("imported");

        List<Map<String, String>> rows = FOLDERS.importDevices("second.csv", random, "AGAIN-1", "AGAIN-2");

        assertThat(outcomes(rows)).containsExactly("already-registered", "imported");
        assertThat(rows.get(0).get("Detail")).contains("registered by this service from first.csv").contains("line 2");
        assertThat(GRAPH.imports().registrations("AGAIN-1")).isEqualTo(1);
    }

    @Test
    void aFileWhoseDevicesWereAllRegisteredFromEarlierFilesCostsNoGraphCall() throws IOException {
        FOLDERS.importDevices("once.csv", random, "ONCE-1", "ONCE-2");
        int imports = GRAPH.imports().calls().size();
        int listPages = GRAPH.staged().listPages();

        List<Map<String, String>> rows = FOLDERS.importDevices("twice.csv", random, "ONCE-1", "ONCE-2");

        assertThat(outcomes(rows)).containsOnly("already-registered");
        assertThat(GRAPH.imports().calls()).as("nothing sent").hasSize(imports);
        assertThat(GRAPH.staged().listPages()).as("no batch followed").isEqualTo(listPages);
    }

    @Test
    void aFileThatBreaksProcessingIsTriedAFewTimesThenDeadLetteredWithoutAStackTrace() throws IOException {
        doThrow(new IllegalStateException("validator exploded\n\tat somewhere"))
                .when(validator).validate(argThat(row -> row != null && "POISON-1".equals(row.serialNumber())), any());

        HashFiles.drop(FOLDERS.inbox(), "poison.csv", csv("POISON-1"));
        String reason = Files.readString(ServiceFolders.await(FOLDERS.deadLetter(), "poison.csv.error.txt", PATIENCE));

        assertThat(reason).contains("processing failed: IllegalStateException: validator exploded").contains("failed 3 times")
                .doesNotContain("\tat ").doesNotContain("\n\tat");
        verify(validator, times(3)).validate(argThat(row -> row != null && "POISON-1".equals(row.serialNumber())), any());
        assertThat(FOLDERS.deadLetter().resolve("poison.csv")).exists();
        assertThat(outcomes(FOLDERS.importDevices("after-poison.csv", random, "HEALTHY-1"))).containsOnly("imported");
    }

    @Test
    void anUnwritableDoneFolderKeepsTheFileUntilItCanBeWrittenAndSaysSoOnce(CapturedOutput output) throws Exception {
        try (AutoCloseable unblock = block(FOLDERS.done())) {
            NotifyBuilder ticks = new NotifyBuilder(camel).fromRoute("finish").whenDone(8).create();
            HashFiles.drop(FOLDERS.inbox(), "blocked.csv", csv("BLOCKED-1"));
            assertThat(ticks.matches(30, TimeUnit.SECONDS)).isTrue();
            Awaitility.await().atMost(PATIENCE).until(() -> output.getAll().contains("Cannot finish blocked.csv"));
            NotifyBuilder more = new NotifyBuilder(camel).fromRoute("finish").whenDone(4).create();
            assertThat(more.matches(30, TimeUnit.SECONDS)).isTrue();
            assertThat(output.getAll().split("Cannot finish blocked.csv", -1)).as("one log line for the incident").hasSize(2);
            assertThat(Files.list(FOLDERS.dataDir().resolve("processing")).map(Path::toString)).anyMatch(p -> p.endsWith("-blocked.csv"));
        }
        assertThat(outcomes(FOLDERS.results("blocked.csv"))).containsOnly("imported");
        Awaitility.await().atMost(PATIENCE).until(() -> output.getAll().contains("blocked.csv could be finished after all"));
    }

    @Test
    void anUnwritableDeadLetterFolderKeepsABadFileInTheInboxUntilItCanBeWritten(CapturedOutput output) throws Exception {
        try (AutoCloseable unblock = block(FOLDERS.deadLetter())) {
            NotifyBuilder polls = new NotifyBuilder(camel).fromRoute("inbox").whenDone(3).create();
            HashFiles.drop(FOLDERS.inbox(), "broken.xlsx", new byte[] {'P', 'K', 3, 4, 0, 0});
            assertThat(polls.matches(30, TimeUnit.SECONDS)).isTrue();
            assertThat(output.getAll().split("broken.xlsx from inbox must go to dead-letter", -1)).hasSize(2);
            assertThat(FOLDERS.inbox().resolve("broken.xlsx")).as("still in the inbox").exists();
        }
        assertThat(Files.readString(ServiceFolders.await(FOLDERS.deadLetter(), "broken.xlsx.error.txt", PATIENCE))).contains("Excel workbook");
    }

    @Test
    void hostileContentIsRefusedWithAReasonAndReportsAreSafeToOpenInASpreadsheet() throws IOException {
        byte[] noise = new byte[64 * 1024];
        random.nextBytes(noise);
        noise[0] = 1;
        noise[1] = 2;
        HashFiles.drop(FOLDERS.inbox(), "noise.bin", noise);
        String hash = HashFiles.hash(random);
        HashFiles.drop(FOLDERS.inbox(), "tricky.csv", ("Device Serial Number,Hardware Hash,Model\r\n"
                + "=HYPERLINK(\"http://evil\"),not-a-hash,=cmd|' /C calc'!A0\r\n"
                + "NUL\u0000SERIAL," + hash + ",x\r\n"
                + "TRICKY-OK," + hash + ",@SUM(1+1)\r\n").getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(ServiceFolders.await(FOLDERS.deadLetter(), "noise.bin.error.txt", PATIENCE))).contains("binary");
        List<Map<String, String>> rows = FOLDERS.results("tricky.csv");

        assertThat(outcomes(rows)).containsExactly("rejected", "rejected", "imported");
        assertThat(rows.get(0).get("Device Serial Number")).startsWith("'=HYPERLINK");
        assertThat(rows.get(1).get("Detail")).isEqualTo("Device Serial Number contains control characters");
        List<Map<String, String>> failed = CsvTable.read(FOLDERS.deadLetter().resolve("tricky.csv.failed.csv"));
        assertThat(failed.get(0).get("Model")).isEqualTo("'=cmd|' /C calc'!A0");
    }

    /** The memory it takes is measured by HashFileReaderIT, which reads such lines in a 64 MB heap. */
    @Test
    void aTwoHundredMegabyteLineIsRefusedAtTheFieldLimit() throws IOException {
        Path huge = FOLDERS.root().resolve("huge.csv.part");
        try (OutputStream out = Files.newOutputStream(huge)) {
            out.write("Device Serial Number,Hardware Hash\r\nHUGE-1,".getBytes(StandardCharsets.US_ASCII));
            byte[] block = "QUFB".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < 200L * 1024 * 1024; written += block.length) {
                out.write(block);
            }
        }
        Files.move(huge, FOLDERS.inbox().resolve("huge.csv"));

        String reason = Files.readString(ServiceFolders.await(FOLDERS.deadLetter(), "huge.csv.error.txt", PATIENCE));

        assertThat(reason).contains("line 2 holds a field longer than 1000000 characters");
        assertThat(GRAPH.imports().registrations("HUGE-1")).isZero();
    }

    /**
     * Puts a plain file where {@code folder} should be, so nothing can be written into it (as with a full or
     * unmounted disk; permissions would not stop root); closing puts the folder back.
     */
    private static AutoCloseable block(Path folder) throws IOException {
        Path parked = folder.resolveSibling(folder.getFileName() + "-parked");
        Files.createDirectories(folder);
        Files.move(folder, parked);
        Files.writeString(folder, "a file where the folder should be");
        return () -> {
            Files.delete(folder);
            Files.move(parked, folder);
        };
    }

    private byte[] csv(String... serials) {
        StringBuilder csv = new StringBuilder("Device Serial Number,Hardware Hash\r\n");
        for (String serial : serials) {
            csv.append(serial).append(',').append(HashFiles.hash(random)).append("\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> outcomes(List<Map<String, String>> rows) {
        return rows.stream().map(r -> r.get("Outcome")).toList();
    }
}
