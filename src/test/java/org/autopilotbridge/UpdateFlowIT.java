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
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Re-tagging and re-assigning registered devices, through the real routes, ledger and the strict stand-in: a device
 * an import finds registered (806) gets the group tag or user its line carries; a spreadsheet of serial numbers and
 * group tags is a list of updates; each device is found with Graph's contains filter inside $batch calls and changed
 * with updateDeviceProperties, 20 to a $batch call.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class UpdateFlowIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("update-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Random random = new Random(14);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.poll-timeout", () -> "20s");
        registry.add("autopilot.group-tag", () -> "Fleet");
        registry.add("autopilot.update-retry-delay", () -> "200ms");
        registry.add("autopilot.update-attempts", () -> "3");
        // Only the calls of updates are counted here.
        registry.add("autopilot.sync", () -> "false");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void updatesTheRegisteredDeviceWhenAnImportFinds806AndTheLineCarriesItsOwnGroupTagOrUser() throws IOException {
        String retagged = GRAPH.devices().register("UPD-R1", "Old", "");
        GRAPH.devices().register("UPD-R2", "Same", "");
        GRAPH.devices().register("UPD-R3", "Old", "");
        String reassigned = GRAPH.devices().register("UPD-R4", "", "");
        GRAPH.devices().register("UPD-R6", "Old", "bob@contoso.com");
        List<String> lines = List.of("Device Serial Number,Hardware Hash,Group Tag,Assigned User",
                "UPD-R1," + HashFiles.hash(random) + ",New,",
                "UPD-R2," + HashFiles.hash(random) + ",Same,",
                "UPD-R3," + HashFiles.hash(random) + ",,",
                "UPD-R4," + HashFiles.hash(random) + ",,ana@contoso.com",
                "UPD-N5," + HashFiles.hash(random) + ",New,",
                "UPD-R6,,Kiosk,BOB@contoso.com");
        HashFiles.drop(FOLDERS.inbox(), "mixed-806.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        Path results = ServiceFolders.await(FOLDERS.done(), "mixed-806.csv.results.csv", PATIENCE);

        List<Map<String, String>> rows = CsvTable.read(results);
        assertThat(Files.readString(results)).startsWith("\uFEFFLine,Device Serial Number,Outcome,Error Code,Error Name,Detail,Autopilot Device Id\r\n");
        assertThat(rows).extracting(r -> r.get("Outcome") + " " + r.get("Error Code") + " " + r.get("Detail")).containsExactly(
                "updated 806 group tag Old -> New",
                "already-registered 806 already registered in this tenant; group tag already Same",
                "already-registered 806 already registered in this tenant",
                "updated 806 user (none) -> ana@contoso.com",
                "imported  ",
                "updated  group tag Old -> Kiosk");
        assertThat(rows.get(0).get("Autopilot Device Id")).isEqualTo(retagged);
        assertThat(rows.get(2).get("Autopilot Device Id")).as("not looked up").isEmpty();
        assertThat(rows.get(3).get("Autopilot Device Id")).isEqualTo(reassigned);
        assertThat(rows.get(4).get("Autopilot Device Id")).as("the import's deviceRegistrationId")
                .isEqualTo(GRAPH.devices().bySerial("UPD-N5").path("id").asText()).isNotBlank();
        assertThat(GRAPH.devices().bySerial("UPD-R1").path("groupTag").asText()).isEqualTo("New");
        assertThat(GRAPH.devices().bySerial("UPD-R3").path("groupTag").asText()).as("a default tag changes nothing").isEqualTo("Old");
        assertThat(GRAPH.devices().bySerial("UPD-R4").path("userPrincipalName").asText()).isEqualTo("ana@contoso.com");
        assertThat(GRAPH.devices().bySerial("UPD-R4").path("groupTag").asText()).as("the default tag is not given").isEmpty();
        assertThat(GRAPH.devices().bySerial("UPD-R6").path("groupTag").asText()).isEqualTo("Kiosk");
        assertThat(GRAPH.devices().bySerial("UPD-R6").path("userPrincipalName").asText()).as("same user, other case")
                .isEqualTo("bob@contoso.com");
        assertThat(List.of("UPD-R1", "UPD-R2", "UPD-R3", "UPD-R4", "UPD-R6")).extracting(GRAPH.devices()::updates)
                .containsExactly(1, 0, 0, 1, 1);
        assertThat(GRAPH.imports().registrations("UPD-R6")).as("an update-only line is never imported").isZero();
        assertThat(FOLDERS.deadLetter().resolve("mixed-806.csv.failed.csv")).doesNotExist();
        assertThat(GRAPH.received()).as("autopilot.profile-wait 0: no profile is read").noneMatch(r -> r.path().startsWith("/beta/"));
        GRAPH.staged().awaitCleanedUp("UPD-");
    }

    @Test
    void readsAReTagSpreadsheetAsUpdatesAndItsFailedRowsAsUpdatesAgain() throws IOException {
        GRAPH.devices().register("RT-1", "Old", "");
        GRAPH.devices().register("RT-10", "Other", "");
        GRAPH.devices().register("RT-2", "Kiosk", "");
        List<String> lines = List.of("Device Serial Number,Group Tag", "RT-1,Kiosk", "RT-2,Kiosk", "RT-404,Kiosk",
                "rt-1,Sales", ",Kiosk", "RT-5,");
        HashFiles.drop(FOLDERS.inbox(), "retag.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.UTF8_BOM));

        List<Map<String, String>> rows = FOLDERS.results("retag.csv");

        assertThat(rows).extracting(r -> r.get("Outcome") + " " + r.get("Detail")).containsExactly(
                "updated group tag Old -> Kiosk",
                "unchanged group tag already Kiosk",
                "not-registered no Autopilot device with serial number RT-404 is registered in this tenant: import it with "
                        + "its hardware hash, or correct the serial number",
                "duplicate serial number already on line 2",
                "rejected Device Serial Number is empty",
                "rejected Hardware Hash is empty (a line without one must name a Group Tag, Assigned User or Device Name "
                        + "to update a registered device)");
        assertThat(GRAPH.devices().bySerial("RT-1").path("groupTag").asText()).isEqualTo("Kiosk");
        assertThat(GRAPH.devices().bySerial("RT-10").path("groupTag").asText()).as("contains matched it; it is not RT-1")
                .isEqualTo("Other");
        assertThat(GRAPH.imports().registrations("RT-1")).isZero();

        Path failed = FOLDERS.deadLetter().resolve("retag.csv.failed.csv");
        List<DeviceRow> again = HashFiles.readBack(failed);
        assertThat(again).extracting(DeviceRow::serialNumber).containsExactly("RT-404", null, "RT-5");
        assertThat(again.get(0).groupTag()).isEqualTo("Kiosk");

        GRAPH.devices().register("RT-404", "", "");
        HashFiles.drop(FOLDERS.inbox(), "retag-fixed.csv", Files.readAllBytes(failed));
        List<Map<String, String>> fixed = FOLDERS.results("retag-fixed.csv");
        assertThat(fixed.get(0)).containsEntry("Outcome", "updated").containsEntry("Detail", "group tag (none) -> Kiosk");
    }

    @Test
    void sendsAnUpdateAgainAfter412ConditionNotMetAndFailsItWhenItsTriesRunOut() throws IOException {
        GRAPH.devices().register("COND-1", "Old", "");
        GRAPH.devices().conflictNext(1);
        List<Map<String, String>> once = retag("cond-1.csv", "COND-1,New");

        GRAPH.devices().register("COND-2", "Old", "");
        GRAPH.devices().conflictNext(3);
        List<Map<String, String>> always = retag("cond-2.csv", "COND-2,New");
        GRAPH.devices().conflictNext(0);

        assertThat(once.get(0)).containsEntry("Outcome", "updated").containsEntry("Detail", "group tag Old -> New");
        assertThat(GRAPH.devices().bySerial("COND-1").path("groupTag").asText()).isEqualTo("New");
        assertThat(always.get(0)).containsEntry("Outcome", "failed").containsEntry("Error Code", "412")
                .containsEntry("Error Name", "ConditionNotMet");
        assertThat(always.get(0).get("Detail")).startsWith("the registered device's group tag could not be changed after 3 tries");
        assertThat(GRAPH.devices().bySerial("COND-2").path("groupTag").asText()).isEqualTo("Old");
        assertThat(CsvTable.read(FOLDERS.deadLetter().resolve("cond-2.csv.failed.csv"))).hasSize(1);
    }

    @Test
    void importsAgainADeviceThisServiceRegisteredFromAnEarlierFileOnceItWasDeletedInIntune() throws IOException {
        String deletedHash = HashFiles.hash(random);
        String keptHash = HashFiles.hash(random);
        List<Map<String, String>> first = tagged("home-1.csv", List.of("DEL-1," + deletedHash + ",Sales", "DEL-2," + keptHash + ",Sales"));
        GRAPH.devices().delete("DEL-1");

        List<Map<String, String>> second = tagged("home-2.csv", List.of("DEL-1," + deletedHash + ",Kiosk", "DEL-2," + keptHash + ",Kiosk"));

        assertThat(first).extracting(r -> r.get("Outcome")).containsExactly("imported", "imported");
        assertThat(second).extracting(r -> r.get("Outcome") + " " + r.get("Detail"))
                .containsExactly("imported ", "updated group tag Sales -> Kiosk");
        assertThat(GRAPH.imports().registrations("DEL-1")).as("registered again").isEqualTo(2);
        assertThat(GRAPH.devices().bySerial("DEL-1").path("groupTag").asText()).isEqualTo("Kiosk");
        assertThat(second.get(0).get("Autopilot Device Id")).isEqualTo(GRAPH.devices().bySerial("DEL-1").path("id").asText());
        assertThat(GRAPH.imports().registrations("DEL-2")).as("still registered: changed, not imported again").isEqualTo(1);
    }

    @Test
    void looksADeviceUpAgainWhenItIsDeletedBetweenItsLookupAndItsChange() throws IOException {
        GRAPH.devices().register("GONE-1", "Old", "");
        GRAPH.devices().deleteOnNextUpdate("GONE-1");

        Map<String, String> row = retag("gone-1.csv", "GONE-1,New").get(0);

        assertThat(row).as("found gone by its id (404), then not found by its serial number")
                .containsEntry("Outcome", "not-registered");
        assertThat(row.get("Detail")).startsWith("no Autopilot device with serial number GONE-1 is registered");
    }

    @Test
    void readsADeviceWhoseUpdateAnswerWasLostBeforeItSendsTheChangeAgain() throws IOException {
        GRAPH.devices().register("LOST-1", "Old", "");
        GRAPH.devices().loseNextAnswers(1);
        int readsBefore = GRAPH.devices().reads();

        Map<String, String> shown = retag("lost-1.csv", "LOST-1,New").get(0);

        assertThat(shown).containsEntry("Outcome", "updated").containsEntry("Detail", "group tag Old -> New");
        assertThat(GRAPH.devices().reads() - readsBefore).as("read again by id").isEqualTo(1);
        assertThat(GRAPH.devices().updates("LOST-1")).as("the change showed: not sent again").isEqualTo(1);

        GRAPH.devices().register("LOST-2", "Old", "");
        GRAPH.devices().loseNextAnswers(1);
        GRAPH.devices().updatesShowAfter(1);
        Map<String, String> late;
        try {
            late = retag("lost-2.csv", "LOST-2,New").get(0);
        } finally {
            GRAPH.devices().updatesShowAfter(0);
        }

        assertThat(late).as("a change that does not show yet is sent again; the line is told once")
                .containsEntry("Outcome", "updated").containsEntry("Detail", "group tag Old -> New");
        assertThat(GRAPH.devices().updates("LOST-2")).isEqualTo(2);
        assertThat(GRAPH.devices().bySerial("LOST-2").path("groupTag").asText()).isEqualTo("New");
    }

    @Test
    void findsTheExactSerialNumberOnALaterPageOfWhatContainsMatches() throws IOException {
        for (int i = 0; i < 12; i++) {
            GRAPH.devices().register("PAGE-1" + i, "Other", "");
        }
        GRAPH.devices().register("PAGE-1", "Old", "");
        GRAPH.devices().pageSize(5);
        try {
            assertThat(retag("page.csv", "PAGE-1,New").get(0)).containsEntry("Outcome", "updated");
        } finally {
            GRAPH.devices().pageSize(1000);
        }
        assertThat(GRAPH.devices().bySerial("PAGE-1").path("groupTag").asText()).isEqualTo("New");
        assertThat(GRAPH.devices().updates("PAGE-10")).isZero();
    }

    @Test
    void changesNeitherOfTwoDevicesRegisteredWithTheSameSerialNumber() throws IOException {
        String first = GRAPH.devices().register("TWIN-1", "Old", "");
        String second = GRAPH.devices().register("TWIN-1", "Old", "");

        Map<String, String> row = retag("twins.csv", "TWIN-1,New").get(0);

        assertThat(row).containsEntry("Outcome", "failed");
        assertThat(row.get("Detail")).contains("2 Autopilot devices are registered with serial number TWIN-1")
                .contains(first).contains(second);
        assertThat(GRAPH.devices().updates("TWIN-1")).isZero();
    }

    /**
     * What updating costs in Graph calls: 1,000 registered devices re-tagged from one spreadsheet. Printed for
     * docs/files.md and docs/testing.md ({@code mvn -B verify | grep "registered devices updated"}).
     */
    @Test
    void updatesAThousandDevicesWithTwoBatchCallsPerTwentyDevices() throws IOException {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Group Tag"));
        for (int i = 1; i <= 1000; i++) {
            GRAPH.devices().register(String.format("THOU-%04d", i), "Old", "");
            lines.add(String.format("THOU-%04d,New", i));
        }
        int batchesBefore = GRAPH.batches().calls();
        int callsBefore = GRAPH.received().size();
        int listsBefore = GRAPH.devices().listPages();
        int updatesBefore = GRAPH.devices().updates();
        int tokensBefore = GRAPH.tokens().requests();
        long start = System.nanoTime();
        HashFiles.drop(FOLDERS.inbox(), "thousand.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        List<Map<String, String>> rows = FOLDERS.results("thousand.csv");
        int batches = GRAPH.batches().calls() - batchesBefore;
        int calls = GRAPH.received().size() - callsBefore;
        System.out.printf("1,000 registered devices updated and reported in %d ms; Graph calls: %d in all, %d of them "
                        + "$batch calls carrying %d lookups (contains filter) and %d updateDeviceProperties; %d token "
                        + "requests%n", (System.nanoTime() - start) / 1_000_000, calls, batches,
                GRAPH.devices().listPages() - listsBefore, GRAPH.devices().updates() - updatesBefore,
                GRAPH.tokens().requests() - tokensBefore);

        assertThat(rows).hasSize(1000).allSatisfy(r -> assertThat(r.get("Outcome")).isEqualTo("updated"));
        assertThat(GRAPH.devices().listPages() - listsBefore).as("one lookup per device").isEqualTo(1000);
        assertThat(GRAPH.devices().updates() - updatesBefore).as("one update per device").isEqualTo(1000);
        assertThat(batches).as("20 lookups, then 20 updates, to a $batch call").isEqualTo(100);
        assertThat(calls).as("nothing but $batch calls").isEqualTo(batches);
    }

    /** A file of hash lines {@code serial,hash,group tag}, dropped; its results. */
    private List<Map<String, String>> tagged(String name, List<String> lines) throws IOException {
        return FOLDERS.importLines(name, Stream.concat(Stream.of("Device Serial Number,Hardware Hash,Group Tag"), lines.stream()).toList());
    }

    private List<Map<String, String>> retag(String name, String line) throws IOException {
        return FOLDERS.importLines(name, List.of("Device Serial Number,Group Tag", line));
    }
}
