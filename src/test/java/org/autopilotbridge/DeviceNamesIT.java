package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
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
 * A file's Device Name column (also read as Display Name), through the real routes, ledger and the strict stand-in:
 * a device a file imports is named by the id its import gave, a registered device gets its name with its update, an
 * empty cell names nothing, and a name Windows cannot take rejects its line before anything of it is sent.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class DeviceNamesIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("names-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Random random = new Random(24);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.poll-timeout", () -> "20s");
        registry.add("autopilot.update-retry-delay", () -> "200ms");
        registry.add("autopilot.sync", () -> "false");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void namesEachDeviceAFileImportsByTheIdItsImportGaveAndRefusesNamesWindowsCannotTake() throws IOException {
        int listsBefore = GRAPH.devices().listPages();

        List<Map<String, String>> rows = dropped("named.csv", List.of("Device Serial Number,Hardware Hash,Group Tag,Device Name",
                "NAME-1," + HashFiles.hash(random) + ",Sales,PC-0001",
                "NAME-2," + HashFiles.hash(random) + ",Sales,",
                "NAME-3," + HashFiles.hash(random) + ",Sales,2024",
                "NAME-4," + HashFiles.hash(random) + ",Sales,PC-%SERIAL%"));

        assertThat(rows).extracting(r -> r.get("Outcome") + " " + r.get("Detail")).containsExactly(
                "imported name PC-0001",
                "imported ",
                "rejected Device Name '2024' is digits only: a Windows computer name needs a letter or a hyphen",
                "rejected Device Name 'PC-%SERIAL%' uses a name template: %SERIAL% and %RAND:x% work only in a deployment "
                        + "profile's device name template, a device's own name is taken as written");
        JsonNode named = GRAPH.devices().bySerial("NAME-1");
        assertThat(named.path("displayName").asText()).isEqualTo("PC-0001");
        assertThat(named.path("groupTag").asText()).as("given by the import, not sent again").isEqualTo("Sales");
        assertThat(rows.get(0).get("Autopilot Device Id")).isEqualTo(named.path("id").asText());
        assertThat(GRAPH.devices().updates("NAME-1")).isEqualTo(1);
        assertThat(GRAPH.devices().listPages() - listsBefore).as("named by the import's deviceRegistrationId, not looked up").isZero();
        assertThat(GRAPH.devices().updates("NAME-2")).as("an empty cell names nothing").isZero();
        assertThat(GRAPH.devices().bySerial("NAME-2").path("displayName").asText()).isEmpty();
        assertThat(List.of("NAME-3", "NAME-4")).as("refused before anything is sent").extracting(GRAPH.imports()::registrations)
                .containsExactly(0, 0);
        assertThat(CsvTable.read(FOLDERS.deadLetter().resolve("named.csv.failed.csv")))
                .extracting(r -> r.get("Device Serial Number") + " " + r.get("Device Name")).containsExactly("NAME-3 2024", "NAME-4 PC-%SERIAL%");
    }

    @Test
    void namesARegisteredDeviceTogetherWithItsGroupTagInOneCallAndKeepsTheNameOfAnEmptyCell() throws IOException {
        GRAPH.devices().register("NAME-R1", "Old", "");
        GRAPH.devices().register("NAME-R2", "Old", "");

        Map<String, String> found = dropped("named-806.csv", List.of("Device Serial Number,Hardware Hash,Group Tag,Display Name",
                "NAME-R1," + HashFiles.hash(random) + ",New,PC-0100")).get(0);
        List<Map<String, String>> renamed = dropped("renamed.csv", List.of("Device Serial Number,Group Tag,Device Name",
                "NAME-R1,Sales,", "NAME-R2,,PC-0200"));

        assertThat(found).containsEntry("Outcome", "updated").containsEntry("Error Code", "806")
                .containsEntry("Detail", "group tag Old -> New; name PC-0100");
        assertThat(renamed).extracting(r -> r.get("Outcome") + " " + r.get("Detail"))
                .containsExactly("updated group tag New -> Sales", "updated name PC-0200");
        assertThat(GRAPH.devices().bySerial("NAME-R1").path("displayName").asText()).as("an empty cell changes nothing")
                .isEqualTo("PC-0100");
        assertThat(GRAPH.devices().bySerial("NAME-R1").path("groupTag").asText()).isEqualTo("Sales");
        assertThat(GRAPH.devices().bySerial("NAME-R2").path("displayName").asText()).isEqualTo("PC-0200");
        assertThat(GRAPH.devices().bySerial("NAME-R2").path("groupTag").asText()).isEqualTo("Old");
        assertThat(List.of("NAME-R1", "NAME-R2")).as("a tag and a name in one call").extracting(GRAPH.devices()::updates)
                .containsExactly(2, 1);
    }

    @Test
    void renamesADeviceThisServiceImportedFromAnEarlierFileWithoutSendingItAgain() throws IOException {
        String hash = HashFiles.hash(random);
        String header = "Device Serial Number,Hardware Hash,Device Name";

        Map<String, String> first = dropped("named-first.csv", List.of(header, "NAME-E1," + hash + ",PC-0010")).get(0);
        Map<String, String> again = dropped("named-again.csv", List.of(header, "NAME-E1," + hash + ",PC-0011")).get(0);

        assertThat(first).containsEntry("Outcome", "imported").containsEntry("Detail", "name PC-0010");
        assertThat(again).containsEntry("Outcome", "updated").containsEntry("Detail", "name PC-0011");
        assertThat(GRAPH.devices().bySerial("NAME-E1").path("displayName").asText()).isEqualTo("PC-0011");
        assertThat(GRAPH.imports().registrations("NAME-E1")).as("not imported again").isEqualTo(1);
    }

    @Test
    void readsADeviceWhoseNamingAnswerWasLostAfterItsImportBeforeItNamesItAgain() throws IOException {
        GRAPH.devices().loseNextAnswers(1);
        int readsBefore = GRAPH.devices().reads();

        Map<String, String> row = dropped("named-lost.csv", List.of("Device Serial Number,Hardware Hash,Device Name",
                "NAME-L1," + HashFiles.hash(random) + ",PC-0300")).get(0);

        assertThat(row).containsEntry("Outcome", "imported").containsEntry("Detail", "name PC-0300");
        assertThat(GRAPH.devices().reads() - readsBefore).as("read again by id").isEqualTo(1);
        assertThat(GRAPH.devices().updates("NAME-L1")).as("the name showed: not sent again").isEqualTo(1);
        assertThat(GRAPH.devices().bySerial("NAME-L1").path("displayName").asText()).isEqualTo("PC-0300");
    }

    /** A file of these lines, header first, dropped; its results. */
    private static List<Map<String, String>> dropped(String name, List<String> file) throws IOException {
        HashFiles.drop(FOLDERS.inbox(), name, HashFiles.encode(file, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        return CsvTable.read(ServiceFolders.await(FOLDERS.done(), name + ".results.csv", PATIENCE));
    }
}
