package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.ingest.DeviceRowValidator;
import org.autopilotbridge.ingest.WholeFileReadLock;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn.ImportCall;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * Work is handed on as soon as it is ready: a file's batches leave while the rest of it is still being read, a file
 * is read only once its writer finished it, a file unusable part-way keeps what was read before, no stage polls the
 * ledger on a fixed timer in between, and a stage woken many times while it runs runs once more, not once per wake-up.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class SendWhileReadingIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("reading-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Random random = new Random(19);

    @Autowired
    CamelContext camel;

    @MockitoSpyBean
    DeviceRowValidator validator;

    @MockitoSpyBean
    WholeFileReadLock readLock;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "300ms");
        registry.add("autopilot.batch-size", () -> "400");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void eachStageIsWokenThroughAQueueOfOneThatNeverFailsItsSender() {
        for (String stage : List.of("submit", "track", "update", "finish", "cleanup")) {
            SedaEndpoint queue = camel.getEndpoint("wake:" + stage, SedaEndpoint.class);
            assertThat(queue.getQueue().remainingCapacity() + queue.getQueue().size()).as(stage + " holds one wake-up").isEqualTo(1);
            assertThat(queue.isDiscardWhenFull()).as(stage + " drops the rest").isTrue();
        }
        // Far more wake-ups than any queue holds, faster than the stage runs: none fails, none waits to run the stage.
        // Senders that waited for their wake-up to be taken would have the stage run once for each, 5,000 times; with
        // the wake-ups that find the queue full dropped, it runs only as often as it can while they arrive.
        NotifyBuilder runs = new NotifyBuilder(camel).fromRoute("finish").whenDone(4_000).create();
        ProducerTemplate wake = camel.createProducerTemplate();
        for (int i = 0; i < 5_000; i++) {
            wake.sendBody("wake:finish", null);
        }
        assertThat(camel.getEndpoint("wake:finish", SedaEndpoint.class).getCurrentQueueSize()).isLessThanOrEqualTo(1);
        assertThat(runs.matches()).as("the stage ran once per wake-up, its senders waiting for it").isFalse();
    }

    @Test
    void batchesLeaveWhileTheRestOfTheFileIsStillBeingRead() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        // Reading stops at line 1,500 until the test lets it go on: by then lines 2 to 1,001 are recorded.
        doAnswer(invocation -> {
            assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();
            return invocation.callRealMethod();
        }).when(validator).validate(argThat(row -> row != null && "WHILE-1499".equals(row.serialNumber())), any());
        HashFiles.drop(FOLDERS.inbox(), "while.csv", file("WHILE-", 2000, -1));

        Awaitility.await("batches sent while reading").atMost(PATIENCE)
                .until(() -> GRAPH.imports().callsFor("WHILE-").size() >= 2);
        List<ImportCall> early = GRAPH.imports().callsFor("WHILE-");
        assertThat(FOLDERS.done().resolve("while.csv.results.csv")).doesNotExist();
        reading.countDown();
        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.done(), "while.csv.results.csv", PATIENCE));

        assertThat(early).allSatisfy(call -> assertThat(call.serials()).hasSize(400));
        assertThat(early.stream().flatMap(call -> call.serials().stream())).as("from the lines recorded so far")
                .allSatisfy(serial -> assertThat(Integer.parseInt(serial.substring("WHILE-".length()))).isLessThan(1000));
        assertThat(rows).hasSize(2000).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        for (int i = 1; i <= 2000; i += 37) {
            assertThat(GRAPH.imports().registrations("WHILE-" + i)).isEqualTo(1);
        }
        assertThat(GRAPH.imports().callsFor("WHILE-").stream().mapToInt(c -> c.serials().size()).sum()).isEqualTo(2000);
    }

    @Test
    void aFileWhoseWriterPausesMidFileIsReadOnlyOnceFinished() throws Exception {
        byte[] whole = file("PAUSED-", 600, -1);
        int half = whole.length / 2;
        CountDownLatch halfWritten = new CountDownLatch(1);
        OutputStream[] writer = new OutputStream[1];
        List<Boolean> wholeWhileHalfWritten = new CopyOnWriteArrayList<>();
        // The writer pauses until the service has looked at its half-written file, then writes the rest and closes it.
        // Stubbed before the file exists: a look before would go unseen, the writer would pause for good, and the
        // read lock would rightly take the file once it stopped changing, half written.
        doAnswer(invocation -> {
            assertThat(halfWritten.await(60, TimeUnit.SECONDS)).isTrue();
            boolean arrivedWhole = (boolean) invocation.callRealMethod();
            if (wholeWhileHalfWritten.isEmpty()) {
                wholeWhileHalfWritten.add(arrivedWhole);
                writer[0].write(whole, half, whole.length - half);
                writer[0].close();
            }
            return arrivedWhole;
        }).when(readLock).arrivedWhole(argThat(path -> path.endsWith("paused.csv")));
        writer[0] = Files.newOutputStream(FOLDERS.inbox().resolve("paused.csv"));
        writer[0].write(whole, 0, half);
        writer[0].flush();
        halfWritten.countDown();

        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.done(), "paused.csv.results.csv", PATIENCE));

        assertThat(wholeWhileHalfWritten).as("not taken as whole while half written").containsExactly(false);
        assertThat(rows).hasSize(600).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
    }

    @Test
    void aFileUnreadablePartWayKeepsWhatWasReadAndGoesToDeadLetterBesideItsResults() throws IOException {
        HashFiles.drop(FOLDERS.inbox(), "cut.csv", file("CUT-", 1200, 1000));

        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.deadLetter(), "cut.csv.results.csv", PATIENCE));

        assertThat(rows).hasSize(1000);
        assertThat(rows.subList(0, 999)).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        assertThat(rows.get(999)).containsEntry("Line", "1001").containsEntry("Outcome", "rejected");
        assertThat(rows.get(999).get("Detail")).startsWith("file unreadable from line 1001: line 1001 is not valid CSV");
        assertThat(FOLDERS.deadLetter().resolve("cut.csv")).exists();
        assertThat(Files.readString(FOLDERS.deadLetter().resolve("cut.csv.error.txt"))).contains("unreadable from line 1001")
                .contains("cut.csv.results.csv");
        assertThat(FOLDERS.done().resolve("cut.csv")).doesNotExist();
        assertThat(FOLDERS.done().resolve("cut.csv.results.csv")).doesNotExist();
        assertThat(GRAPH.imports().registrations("CUT-999")).isEqualTo(1);
        assertThat(GRAPH.imports().registrations("CUT-1001")).as("after the unreadable line").isZero();
    }

    @Test
    void aFileUnreadableAtItsFirstLineStillGoesWholeToDeadLetter() throws IOException {
        HashFiles.drop(FOLDERS.inbox(), "first-line.csv", file("FIRSTLINE-", 3, 1));

        String reason = Files.readString(ServiceFolders.await(FOLDERS.deadLetter(), "first-line.csv.error.txt", PATIENCE));

        assertThat(reason).contains("line 2 is not valid CSV").contains("Fix the file and drop it into the inbox again");
        assertThat(FOLDERS.deadLetter().resolve("first-line.csv.results.csv")).doesNotExist();
        assertThat(GRAPH.imports().registrations("FIRSTLINE-2")).isZero();
    }

    @Test
    void noStageRunsOnAFixedTimerWhileThereIsNothingToDo() throws IOException {
        FOLDERS.importDevices("idle.csv", random, "IDLE-1", "IDLE-2");
        GRAPH.staged().awaitCleanedUp("IDLE-");

        // Measured by the backstop's own five-second beat, not by the test's clock: two beats, five to ten seconds,
        // in which a track route woken only when work is due runs once a beat, and one on a half-second timer some
        // ten to twenty times.
        NotifyBuilder beats = new NotifyBuilder(camel).fromRoute("backstop").whenDone(2).create();
        NotifyBuilder busy = new NotifyBuilder(camel).fromRoute("track").whenDone(4).create();
        assertThat(beats.matches(1, TimeUnit.MINUTES)).as("two backstop beats").isTrue();
        assertThat(busy.matches()).as("the track route ran four times in them").isFalse();
    }

    @Test
    void aFileWhoseEveryLineIsDecidedAsItIsReadIsReportedWithoutTheBackstop() throws Exception {
        withoutTheBackstop(() -> {
            HashFiles.drop(FOLDERS.inbox(), "decided.csv", HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                    "DECIDED-1,not base64!", "DECIDED-2,"), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

            assertThat(FOLDERS.results("decided.csv")).extracting(row -> row.get("Outcome")).containsExactly("rejected", "rejected");
        });
    }

    @Test
    void aFileUnreadablePartWayHasItsLastBatchSentAndIsReportedWithoutTheBackstop() throws Exception {
        withoutTheBackstop(() -> {
            HashFiles.drop(FOLDERS.inbox(), "short-cut.csv", file("SHORTCUT-", 5, 4));

            List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.deadLetter(), "short-cut.csv.results.csv",
                    PATIENCE));
            assertThat(rows).extracting(row -> row.get("Outcome")).containsExactly("imported", "imported", "imported", "rejected");
        });
    }

    /** Work that only the wake-ups sent by the routes may move on: the timer that wakes every stage is stopped meanwhile. */
    private void withoutTheBackstop(Steps steps) throws Exception {
        camel.getRouteController().stopRoute("backstop");
        try {
            steps.run();
        } finally {
            camel.getRouteController().startRoute("backstop");
        }
    }

    private interface Steps {
        void run() throws Exception;
    }

    /** A hash file of {@code lines} devices; with malformed quoting on data line {@code brokenAt} when it is positive. */
    private byte[] file(String prefix, int lines, int brokenAt) {
        List<String> rows = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        for (int i = 1; i <= lines; i++) {
            rows.add(i == brokenAt ? prefix + i + ",\"T0Fbroken\"quote\"" : prefix + i + "," + HashFiles.hash(random));
        }
        return HashFiles.encode(rows, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM);
    }
}
