package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.submit.ImportSubmitter;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.Postgres;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a real PostgreSQL ledger (spring.datasource.url): Flyway's PostgreSQL migrations, and every
 * statement of the ledger in PostgreSQL's SQL, through the paths that use the most of it (a registered device's update
 * included), and the inbox's read lock as another instance holds it.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class PostgresLedgerIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("postgres-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();

    private final Random random = new Random(31);

    @Autowired
    LedgerDialect dialect;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        Postgres.newDatabase().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.poll-timeout", () -> "5s");
        registry.add("autopilot.batch-size", () -> "3");
        // Long enough that a read lock held by another instance cannot lapse during a test.
        registry.add("autopilot.cluster.lease", () -> "2m");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void reportsEveryOutcomeOfAFileFromAPostgresLedger() throws IOException {
        assertThat(dialect.shared()).isTrue();
        GRAPH.imports().loseNextAnswer();
        String hash = HashFiles.hash(random);
        List<String> lines = List.of("Device Serial Number,Hardware Hash,Group Tag",
                "PG-OK-1," + HashFiles.hash(random) + ",Sales",
                "PG-R806-2," + HashFiles.hash(random) + ",",
                "PG-R808-3," + HashFiles.hash(random) + ",",
                "PG-RREFUSE-4," + hash + ",",
                "PG-BAD-5,not-base64!,",
                "PG-OK-1," + HashFiles.hash(random) + ",",
                "PG-RSTUCK-6," + HashFiles.hash(random) + ",",
                "PG-OK-7," + HashFiles.hash(random) + ",",
                "PG-UPD-8," + HashFiles.hash(random) + ",Finance");
        GRAPH.devices().register("PG-UPD-8", "Sales", "");
        HashFiles.drop(FOLDERS.inbox(), "postgres.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.done(), "postgres.csv.results.csv",
                java.time.Duration.ofSeconds(60)));

        assertThat(rows).extracting(r -> r.get("Line") + " " + r.get("Outcome")).containsExactly("2 imported",
                "3 already-registered", "4 other-tenant", "5 failed", "6 rejected", "7 duplicate", "8 timeout", "9 imported",
                "10 updated");
        assertThat(GRAPH.devices().bySerial("PG-UPD-8").path("groupTag").asText()).as("re-tagged").isEqualTo("Finance");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device_update WHERE lease_owner IS NOT NULL OR status <> 'DONE'",
                Integer.class)).as("updates done, leases given back").isZero();
        assertThat(GRAPH.imports().registrations("PG-OK-1")).as("adopted after the lost answer, not sent again").isEqualTo(1);
        GRAPH.staged().awaitCleanedUp("PG-");
        assertThat(FOLDERS.dataDir().resolve("processing/hashes")).as("hashes dropped").isEmptyDirectory();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM import_batch WHERE lease_owner IS NOT NULL", Integer.class))
                .as("leases given back").isZero();
    }

    @Test
    void leavesAFileAnotherInstanceIsReadingToIt() throws IOException {
        Path held = FOLDERS.inbox().toAbsolutePath().resolve("held.csv");
        // Another instance holds the file's read lock: it is reading the file.
        jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES ('inbox', ?, ?)",
                held.toString(), Timestamp.from(Instant.now()));
        dropOneDevice("held.csv", "PG-HELD-1");
        dropOneDevice("next.csv", "PG-NEXT-1");

        // Polled beside the held file, read and reported; then another poll, in which the held file comes first.
        ServiceFolders.await(FOLDERS.done(), "next.csv.results.csv", java.time.Duration.ofSeconds(60));
        dropOneDevice("after.csv", "PG-AFTER-1");
        ServiceFolders.await(FOLDERS.done(), "after.csv.results.csv", java.time.Duration.ofSeconds(60));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId = ?", Integer.class,
                held.toString())).as("the other instance's lock kept").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hash_file WHERE name = 'held.csv'", Integer.class))
                .as("not read by this instance").isZero();
        assertThat(held).exists();
        Files.delete(held);
        jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE messageId = ?", held.toString());
    }

    @Test
    void sendsNothingForABatchAnotherInstanceTookInTheMeantime() throws IOException {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger submitter = (Logger) LoggerFactory.getLogger(ImportSubmitter.class);
        submitter.addAppender(log);
        String batchOfTheFile = " WHERE file_id IN (SELECT id FROM hash_file WHERE name = 'taken.csv')";
        // The first send gets no answer (Graph did nothing); meanwhile this instance stalls past its lease and
        // another instance takes the batch over.
        GRAPH.imports().failNext(1, 504);
        GRAPH.imports().onNext(() -> jdbc.update("UPDATE import_batch SET lease_owner = 'node-elsewhere', "
                + "lease_until = CURRENT_TIMESTAMP + INTERVAL '1 hour'" + batchOfTheFile));
        try {
            dropOneDevice("taken.csv", "PG-TAKEN-1");
            Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> GRAPH.imports().callsFor("PG-TAKEN").size() > 1
                    || log.list.stream().anyMatch(e -> e.getFormattedMessage().contains("lease ran out")));
        } finally {
            submitter.detachAppender(log);
        }
        assertThat(GRAPH.imports().callsFor("PG-TAKEN")).as("nothing sent once the lease was lost").hasSize(1);

        // The other instance dies without sending: the batch is adopted when its lease is free, and sent once.
        jdbc.update("UPDATE import_batch SET lease_owner = NULL, lease_until = NULL" + batchOfTheFile);
        ServiceFolders.await(FOLDERS.done(), "taken.csv.results.csv", java.time.Duration.ofSeconds(60));
        assertThat(GRAPH.imports().registrations("PG-TAKEN-1")).isEqualTo(1);
    }

    private void dropOneDevice(String name, String serial) throws IOException {
        HashFiles.drop(FOLDERS.inbox(), name, HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                serial + "," + HashFiles.hash(random)), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
    }

    @Test
    void keepsWhatWasReadOfAFileUnreadablePartWay() throws IOException {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        for (int i = 1; i <= 7; i++) {
            lines.add(i == 6 ? "PGCUT-6,\"T0F\"broken\"" : "PGCUT-" + i + "," + HashFiles.hash(random));
        }
        HashFiles.drop(FOLDERS.inbox(), "pg-cut.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.deadLetter(), "pg-cut.csv.results.csv",
                java.time.Duration.ofSeconds(60)));

        assertThat(rows).extracting(r -> r.get("Outcome")).containsExactly("imported", "imported", "imported", "imported",
                "imported", "rejected");
        assertThat(rows.get(5).get("Detail")).startsWith("file unreadable from line 7");
    }
}
