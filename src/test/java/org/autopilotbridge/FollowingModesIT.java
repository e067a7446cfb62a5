package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.StagedRecords.Filter;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Following an import to its end whatever Graph does with the query options it does not document for listing
 * staged records: each behaviour is a mode of the stand-in, and in each every device gets the outcome of its own
 * record.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class FollowingModesIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("following-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final String COLLECTION = "/v1.0/deviceManagement/importedWindowsAutopilotDeviceIdentities";

    private final Random random = new Random(11);

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.poll-timeout", () -> "20s");
        registry.add("autopilot.batch-size", () -> "120");
    }

    @AfterEach
    void graphAsHelpfulAsItGets() {
        GRAPH.staged().resetListing();
        GRAPH.imports().maxBatch(500);
        // What the service learned about Graph is the tenant's; each test starts from a service that learned nothing.
        jdbc.update("DELETE FROM tenant_graph_behaviour");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void listsEachBatchByImportIdWhenGraphHonoursTheFilter() throws IOException {
        int readsBefore = GRAPH.staged().reads();
        long filteredBefore = collectionLists(true);
        long wholeBefore = collectionLists(false);

        List<Map<String, String>> rows = FOLDERS.importDevices("honoured.csv", random, serials("HON-", 150));

        assertThat(outcomes(rows)).hasSize(150).containsOnly("imported");
        assertThat(collectionLists(true) - filteredBefore).as("a filtered list for each of the two batches").isGreaterThanOrEqualTo(2);
        assertThat(collectionLists(false) - wholeBefore).as("never the whole staging area").isZero();
        assertThat(GRAPH.staged().reads() - readsBefore).as("records read one by one").isZero();
        assertThat(learned()).isEmpty();
    }

    @Test
    void followsDevicesCreatedOneByOneByTheirIdsSinceGraphGivesEachItsIdAsImportId() throws IOException {
        GRAPH.imports().maxBatch(0);
        int readsBefore = GRAPH.staged().reads();

        List<Map<String, String>> rows = FOLDERS.importDevices("singles.csv", random, serials("ONE-", 3));

        assertThat(outcomes(rows)).containsExactly("imported", "imported", "imported");
        assertThat(GRAPH.imports().createCalls()).isGreaterThanOrEqualTo(3);
        assertThat(GRAPH.staged().reads() - readsBefore).as("created records read by id").isGreaterThanOrEqualTo(3);
        assertThat(learned()).as("nothing wrong with the filter").isEmpty();
    }

    @Test
    void listsEveryStagedRecordAndRemembersItWhenGraphRefusesTheFilter() throws IOException {
        GRAPH.staged().filter(Filter.REFUSED);

        List<Map<String, String>> first = FOLDERS.importDevices("refused-1.csv", random, serials("REF-A", 130));
        long filteredBefore = collectionLists(true);
        int readsBefore = GRAPH.staged().reads();
        List<Map<String, String>> second = FOLDERS.importDevices("refused-2.csv", random, serials("REF-B", 40));

        assertThat(outcomes(first)).hasSize(130).containsOnly("imported");
        assertThat(outcomes(second)).hasSize(40).containsOnly("imported");
        assertThat(learned()).containsExactly("not-honoured");
        assertThat(collectionLists(true) - filteredBefore).as("filtered lists tried once the refusal was learned").isZero();
        assertThat(GRAPH.staged().reads() - readsBefore).as("a small staging area is listed, not read record by record")
                .isLessThan(40);
    }

    @Test
    void readsTheRecordsByTheirIdsTwentyToABatchCallWhenGraphRefusesTheFilterAndTheStagingAreaIsLarge() throws IOException {
        GRAPH.staged().filter(Filter.REFUSED);
        GRAPH.staged().honourTop(false);
        GRAPH.staged().unknownFor(4);
        for (int i = 1; i <= 3000; i++) {
            GRAPH.staged().stageLeftover("BIG-" + i, "another-tools-import", 808, "ZtdDeviceAssignedToOtherTenant");
        }
        int readsBefore = GRAPH.staged().reads();
        int batchesBefore = GRAPH.batches().readSizes().size();
        long listsBefore = collectionLists(false);
        try {
            List<Map<String, String>> rows = FOLDERS.importDevices("refused-large.csv", random, serials("REFBIG-", 25));

            assertThat(outcomes(rows)).hasSize(25).containsOnly("imported");
            assertThat(learned()).containsExactly("not-honoured");
            List<Integer> readBatches = GRAPH.batches().readSizes().subList(batchesBefore, GRAPH.batches().readSizes().size());
            assertThat(GRAPH.staged().reads() - readsBefore).as("the 25 records read by id on each later look")
                    .isGreaterThanOrEqualTo(2 * 25);
            assertThat(readBatches).as("20 reads to a $batch call: 20 and 5 per look").hasSizeGreaterThanOrEqualTo(4)
                    .containsOnly(20, 5).allMatch(size -> size <= 20);
            assertThat(collectionLists(false) - listsBefore).as("the 31 pages of the staging area listed once, to learn its size")
                    .isLessThanOrEqualTo(31);
        } finally {
            GRAPH.staged().unstage("another-tools-import");
        }
    }

    @Test
    void readsRecordsByIdWhenListingEveryStagedRecordWouldCostMore() throws IOException {
        GRAPH.staged().filter(Filter.IGNORED);
        GRAPH.staged().unknownFor(4);
        for (int i = 1; i <= 700; i++) {
            GRAPH.staged().stageLeftover("OLD-" + i, "another-tools-import", 808, "ZtdDeviceAssignedToOtherTenant");
        }
        long listsBefore = collectionLists(false);
        int readsBefore = GRAPH.staged().reads();
        try {
            List<Map<String, String>> rows = FOLDERS.importDevices("few.csv", random, serials("FEW-", 3));

            assertThat(outcomes(rows)).containsExactly("imported", "imported", "imported");
            assertThat(GRAPH.staged().reads() - readsBefore).as("each record read by id").isGreaterThanOrEqualTo(3);
            assertThat(collectionLists(false) - listsBefore).as("the 8 pages of every staged record read once at most")
                    .isLessThanOrEqualTo(8);
        } finally {
            GRAPH.staged().unstage("another-tools-import");
        }
    }

    @Test
    void takesEachDevicesOwnRecordWhenGraphIgnoresTheFilterAndListsLeftoversOfOtherImports() throws IOException {
        GRAPH.staged().filter(Filter.IGNORED);
        GRAPH.staged().anyOrder(true);
        String[] serials = serials("IGN-", 50);
        for (String serial : serials) {
            GRAPH.staged().stageLeftover(serial, "earlier-import", 808, "ZtdDeviceAssignedToOtherTenant");
        }
        String[] withSoftError = java.util.Arrays.copyOf(serials, 51);
        withSoftError[50] = "IGN-R806-1";
        GRAPH.staged().stageLeftover("IGN-R806-1", "earlier-import", 802, "InvalidZtdHardwareHash");

        List<Map<String, String>> rows = FOLDERS.importDevices("ignored.csv", random, withSoftError);

        assertThat(outcomes(rows).subList(0, 50)).as("none took a leftover's error").containsOnly("imported");
        assertThat(rows.get(50).get("Outcome")).isEqualTo("already-registered");
        assertThat(rows.get(50).get("Error Code")).isEqualTo("806");
        assertThat(learned()).containsExactly("not-honoured");
    }

    @Test
    void givesTheSameResultsWhenGraphIgnoresSelectAndSendsEveryHashAndKeepsRecordsUnknownForAWhile() throws IOException {
        GRAPH.staged().honourSelect(false);
        GRAPH.staged().unknownFor(3);

        List<Map<String, String>> rows = FOLDERS.importDevices("with-hashes.csv", random, serials("SEL-", 240));

        assertThat(outcomes(rows)).hasSize(240).containsOnly("imported");
        assertThat(learned()).isEmpty();
    }

    @Test
    void givesTheSameResultsWhenGraphIgnoresTopAndAnswersInPagesOfAHundred() throws IOException {
        GRAPH.staged().honourTop(false);
        long listsBefore = collectionLists(true);

        List<Map<String, String>> rows = FOLDERS.importDevices("pages.csv", random, serials("PAGE-", 240));

        assertThat(outcomes(rows)).hasSize(240).containsOnly("imported");
        assertThat(collectionLists(true) - listsBefore).as("each 120-device batch's list followed to its second page")
                .isGreaterThanOrEqualTo(4);
        assertThat(learned()).isEmpty();
    }

    @Test
    void adoptsWhatArrivedAfterALostAnswerByImportIdAndSerialWhenGraphIgnoresTheFilter() throws IOException {
        GRAPH.staged().filter(Filter.IGNORED);
        String[] serials = serials("LOSTIGN-", 5);
        for (String serial : serials) {
            GRAPH.staged().stageLeftover(serial, "earlier-import", 808, "ZtdDeviceAssignedToAnotherTenant");
        }
        GRAPH.imports().loseNextAnswer();

        List<Map<String, String>> rows = FOLDERS.importDevices("lost-ignored.csv", random, serials);

        assertThat(outcomes(rows)).containsOnly("imported");
        for (String serial : serials) {
            assertThat(GRAPH.imports().registrations(serial)).as(serial + " registered once").isEqualTo(1);
        }
    }

    @Test
    void adoptsWhatArrivedAfterALostAnswerWhenGraphRefusesTheFilter() throws IOException {
        GRAPH.staged().filter(Filter.REFUSED);
        GRAPH.imports().loseNextAnswer();
        String[] serials = serials("LOSTREF-", 4);

        List<Map<String, String>> rows = FOLDERS.importDevices("lost-refused.csv", random, serials);

        assertThat(outcomes(rows)).containsOnly("imported");
        for (String serial : serials) {
            assertThat(GRAPH.imports().registrations(serial)).as(serial + " registered once").isEqualTo(1);
        }
    }

    private List<String> learned() {
        return jdbc.queryForList("SELECT learned FROM tenant_graph_behaviour", String.class);
    }

    private static long collectionLists(boolean filtered) {
        return GRAPH.received().stream().filter(r -> r.method().equals("GET") && r.path().equals(COLLECTION))
                .filter(r -> filtered == (r.query() != null && r.query().contains("filter"))).count();
    }

    private static String[] serials(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    private static List<String> outcomes(List<Map<String, String>> rows) {
        return rows.stream().map(r -> r.get("Outcome")).toList();
    }
}
