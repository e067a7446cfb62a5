package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.autopilotbridge.ingest.HashFileIngest;
import org.autopilotbridge.testing.CrashingBridge.Step;
import org.autopilotbridge.testing.CrashingBridge;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ProfileAssignments.Mode;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service is killed dead (the JVM halts: no shutdown hooks, no clean-up) at each step of a file's way, then
 * started again on the same data and the same Graph: the file must end exactly as without the crash, with every
 * device registered once and every line in the results.
 */
class CrashRecoveryIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("crash-secret");

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"READING_AFTER_SENT", "UPDATE_LOOKED_UP", "UPDATE_SENT", "PROFILE_READ"},
            mode = EnumSource.Mode.EXCLUDE)
    void finishesTheFileExactlyOnceAfterACrashAt(Step step) throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        String prefix = "K" + step.ordinal() + "-";
        List<String> valid = List.of(prefix + "1", prefix + "2", prefix + "3", prefix + "4", prefix + "R806-5");
        Random random = new Random(step.ordinal());
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        valid.forEach(serial -> lines.add(serial + "," + HashFiles.hash(random)));
        lines.add(prefix + "BAD,not-a-hash");
        HashFiles.drop(folders.inbox(), "crash.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        List<String> arguments = new ArrayList<>(folders.arguments());
        arguments.addAll(GRAPH.arguments());
        arguments.addAll(List.of("--autopilot.batch-size=2", "--autopilot.poll-interval=200ms", "--autopilot.sync=false"));

        try (ForkedBridge crashing = ForkedBridge.start(step, folders.root().resolve("crashing.log"), arguments)) {
            assertThat(crashing.awaitExit(Duration.ofSeconds(90))).as("halted at " + step).isEqualTo(CrashingBridge.HALTED);
        }
        List<Map<String, String>> rows;
        try (ForkedBridge restarted = ForkedBridge.start(null, folders.root().resolve("restarted.log"), arguments)) {
            rows = CsvTable.read(ServiceFolders.await(folders.done(), "crash.csv.results.csv", Duration.ofSeconds(90)));
            GRAPH.staged().awaitCleanedUp(prefix);
        }

        assertThat(rows).extracting(r -> r.get("Line") + " " + r.get("Outcome")).containsExactly(
                "2 imported", "3 imported", "4 imported", "5 imported", "6 already-registered", "7 rejected");
        for (String serial : valid) {
            assertThat(GRAPH.imports().registrations(serial)).as(serial + " registered once").isEqualTo(1);
        }
        assertThat(folders.done().resolve("crash.csv")).exists();
        assertThat(CsvTable.read(folders.deadLetter().resolve("crash.csv.failed.csv"))).hasSize(1);
        assertThat(leftovers(folders.inbox())).isEmpty();
        assertThat(leftovers(folders.dataDir().resolve("processing"))).as("no file left in processing").isEmpty();
        assertThat(leftovers(folders.done())).as("no second set of reports")
                .containsExactlyInAnyOrder("crash.csv", "crash.csv.results.csv");
    }

    /**
     * Killed between finding registered devices and changing them, or after Graph changed them but before the answer
     * was recorded: the restarted service ends every line as without the crash, and reads a device whose change was
     * sent before it would send it again, so each change reaches Graph once.
     */
    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"UPDATE_LOOKED_UP", "UPDATE_SENT"})
    void updatesEachRegisteredDeviceOnceAfterACrashBetweenLookupAndUpdate(Step step) throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        String prefix = "KU" + step.ordinal() + "-";
        GRAPH.devices().register(prefix + "1", "Old", "");
        GRAPH.devices().register(prefix + "2", "Kiosk", "");
        GRAPH.devices().register(prefix + "4", "Old", "");
        List<String> lines = List.of("Device Serial Number,Hardware Hash,Group Tag", prefix + "1,,Kiosk", prefix + "2,,Kiosk",
                prefix + "3,,Kiosk", prefix + "4," + HashFiles.hash(new Random(step.ordinal())) + ",Kiosk");
        HashFiles.drop(folders.inbox(), "retag.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        int readsBefore = GRAPH.devices().reads();

        List<Map<String, String>> rows = crashedAndRestarted(step, folders, "retag.csv");

        assertThat(GRAPH.devices().reads() - readsBefore).as("devices read by id: the one whose change was sent before the crash")
                .isEqualTo(step == Step.UPDATE_SENT ? 1 : 0);

        assertThat(rows).extracting(r -> r.get("Line") + " " + r.get("Outcome") + " " + r.get("Detail")).containsExactly(
                "2 updated group tag Old -> Kiosk",
                "3 unchanged group tag already Kiosk",
                "4 not-registered no Autopilot device with serial number " + prefix + "3 is registered in this tenant: "
                        + "import it with its hardware hash, or correct the serial number",
                "5 updated group tag Old -> Kiosk");
        assertThat(rows.get(0).get("Autopilot Device Id")).isEqualTo(GRAPH.devices().bySerial(prefix + "1").path("id").asText());
        assertThat(List.of("1", "2", "4")).extracting(n -> GRAPH.devices().updates(prefix + n)).as("changes that reached Graph")
                .containsExactly(1, 0, 1);
        assertThat(GRAPH.devices().bySerial(prefix + "4").path("groupTag").asText()).isEqualTo("Kiosk");
        assertThat(GRAPH.imports().registrations(prefix + "4")).isEqualTo(1);
        assertThat(CsvTable.read(folders.deadLetter().resolve("retag.csv.failed.csv"))).hasSize(1);
    }

    /**
     * Killed after Graph named a device its import had just registered, before the answer was recorded: the restarted
     * service reads the device, finds the name, and does not send it again; the line stays imported.
     */
    @Test
    void namesAnImportedDeviceOnceAfterACrashBeforeItsNamingAnswerWasRecorded() throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        List<String> lines = List.of("Device Serial Number,Hardware Hash,Device Name", "KN-1," + HashFiles.hash(new Random(24)) + ",PC-KN1");
        HashFiles.drop(folders.inbox(), "named.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        int readsBefore = GRAPH.devices().reads();

        Map<String, String> row = crashedAndRestarted(Step.UPDATE_SENT, folders, "named.csv").get(0);

        assertThat(row).containsEntry("Outcome", "imported").containsEntry("Detail", "name PC-KN1")
                .containsEntry("Autopilot Device Id", GRAPH.devices().bySerial("KN-1").path("id").asText());
        assertThat(GRAPH.devices().reads() - readsBefore).as("read by id before naming it again").isEqualTo(1);
        assertThat(GRAPH.devices().updates("KN-1")).as("named once").isEqualTo(1);
        assertThat(GRAPH.devices().bySerial("KN-1").path("displayName").asText()).isEqualTo("PC-KN1");
        assertThat(GRAPH.imports().registrations("KN-1")).isEqualTo(1);
    }

    /** Runs the service on {@code folders} until it halts at {@code step}, then again until the file's results are written. */
    private static List<Map<String, String>> crashedAndRestarted(Step step, ServiceFolders folders, String file) throws Exception {
        List<String> arguments = new ArrayList<>(folders.arguments());
        arguments.addAll(GRAPH.arguments());
        arguments.addAll(List.of("--autopilot.poll-interval=200ms", "--autopilot.sync=false"));
        try (ForkedBridge crashing = ForkedBridge.start(step, folders.root().resolve("crashing.log"), arguments)) {
            assertThat(crashing.awaitExit(Duration.ofSeconds(90))).as("halted at " + step).isEqualTo(CrashingBridge.HALTED);
        }
        try (ForkedBridge restarted = ForkedBridge.start(null, folders.root().resolve("restarted.log"), arguments)) {
            return CsvTable.read(ServiceFolders.await(folders.done(), file + ".results.csv", Duration.ofSeconds(90)));
        }
    }

    /**
     * Killed after Graph answered a read of deployment profiles and before the answer was recorded: the restarted
     * service reads each followed device again (the wait is in the ledger) and reports them as without the crash.
     */
    @Test
    void followsDeploymentProfilesOnAfterACrashBetweenAReadAndItsRecord() throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        GRAPH.profiles().mode("KP-1", Mode.assignedAfter(Duration.ZERO, "Contoso user-driven"));
        GRAPH.profiles().mode("KP-2", Mode.failed("hardwareRequirementsNotMet", "Contoso self-deploying"));
        Random random = new Random(47);
        List<String> lines = List.of("Device Serial Number,Hardware Hash", "KP-1," + HashFiles.hash(random),
                "KP-2," + HashFiles.hash(random));
        HashFiles.drop(folders.inbox(), "profiles.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        List<String> arguments = new ArrayList<>(folders.arguments());
        arguments.addAll(GRAPH.arguments());
        arguments.addAll(List.of("--autopilot.poll-interval=200ms", "--autopilot.sync=false", "--autopilot.profile-wait=5m"));

        try (ForkedBridge crashing = ForkedBridge.start(Step.PROFILE_READ, folders.root().resolve("crashing.log"), arguments)) {
            assertThat(crashing.awaitExit(Duration.ofSeconds(90))).isEqualTo(CrashingBridge.HALTED);
        }
        int readsBefore = GRAPH.profiles().reads();
        List<Map<String, String>> rows;
        try (ForkedBridge restarted = ForkedBridge.start(null, folders.root().resolve("restarted.log"), arguments)) {
            rows = CsvTable.read(ServiceFolders.await(folders.done(), "profiles.csv.results.csv", Duration.ofSeconds(90)));
        }

        assertThat(rows).extracting(r -> r.get("Outcome") + " " + r.get("Profile Status") + " " + r.get("Deployment Profile"))
                .containsExactly("imported assigned Contoso user-driven", "imported failed Contoso self-deploying");
        assertThat(GRAPH.profiles().reads() - readsBefore).as("each device read again once").isEqualTo(2);
        assertThat(GRAPH.imports().registrations("KP-1")).isEqualTo(1);
    }

    @Test
    void goesOnReadingAFileFromItsLastRecordedLineWhenBatchesOfItWereAlreadySent() throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        Random random = new Random(41);
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        for (int i = 1; i <= 1500; i++) {
            lines.add("RESUME-" + i + "," + HashFiles.hash(random));
        }
        HashFiles.drop(folders.inbox(), "resume.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        List<String> arguments = new ArrayList<>(folders.arguments());
        arguments.addAll(GRAPH.arguments());
        // Batches smaller than a chunk, so that the first chunk fills one, which is sent before the second is recorded.
        int batchSize = HashFileIngest.CHUNK_SIZE * 4 / 5;
        arguments.addAll(List.of("--autopilot.batch-size=" + batchSize, "--autopilot.poll-interval=200ms", "--autopilot.sync=false"));

        try (ForkedBridge crashing = ForkedBridge.start(Step.READING_AFTER_SENT, folders.root().resolve("crashing.log"), arguments)) {
            assertThat(crashing.awaitExit(Duration.ofSeconds(90))).isEqualTo(CrashingBridge.HALTED);
        }
        int sentBeforeTheCrash = GRAPH.imports().callsFor("RESUME-").stream().mapToInt(c -> c.serials().size()).sum();
        List<Map<String, String>> rows;
        try (ForkedBridge restarted = ForkedBridge.start(null, folders.root().resolve("restarted.log"), arguments)) {
            rows = CsvTable.read(ServiceFolders.await(folders.done(), "resume.csv.results.csv", Duration.ofSeconds(90)));
            GRAPH.staged().awaitCleanedUp("RESUME-");
        }

        assertThat(sentBeforeTheCrash).as("devices sent before the crash").isGreaterThanOrEqualTo(batchSize);
        assertThat(rows).hasSize(1500).allSatisfy(row -> assertThat(row.get("Outcome")).isEqualTo("imported"));
        for (int i = 1; i <= 1500; i++) {
            assertThat(GRAPH.imports().registrations("RESUME-" + i)).as("RESUME-" + i + " registered once").isEqualTo(1);
        }
        assertThat(Files.readString(folders.root().resolve("restarted.log"))).contains("its reading goes on from line " + (HashFileIngest.CHUNK_SIZE + 2));
    }

    private static List<String> leftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        // Files only, at any depth: the folders the service keeps (processing/reading) are not leftovers.
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
        }
    }
}
