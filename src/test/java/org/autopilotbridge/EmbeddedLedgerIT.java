package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded H2 ledger, as shipped (no spring.datasource.url), is for one instance: a second one on the same data
 * folder refuses to start and says why, and the first goes on working on a ledger that is still whole on disk.
 */
class EmbeddedLedgerIT {

    @Test
    void aSecondInstanceOnTheSameDataFolderRefusesToStartAndTheFirstGoesOn() throws Exception {
        ServiceFolders folders = ServiceFolders.create();
        List<String> arguments = new ArrayList<>(folders.arguments());
        arguments.add("--camel.main.run-controller=false");
        try (ConfigurableApplicationContext first = SpringApplication.run(AutopilotBridgeApplication.class,
                arguments.toArray(String[]::new))) {
            Path log = folders.root().resolve("second.log");
            int exit;
            try (ForkedBridge second = ForkedBridge.start(null, log, arguments)) {
                exit = second.awaitExit(Duration.ofSeconds(90));
            }

            assertThat(exit).isNotZero();
            assertThat(Files.readString(log)).contains("APPLICATION FAILED TO START")
                    .contains("the embedded ledger " + folders.dataDir().resolve("ledger") + ".mv.db (autopilot.data-dir) "
                            + "is in use by another instance of the service")
                    .contains("several instances need PostgreSQL (spring.datasource.url=jdbc:postgresql://");
            // The first still takes, records and reports a file after the refusal (a dry run: no tenant).
            assertThat(folders.importDevices("after-refusal.csv", new Random(7), "AFTER-1"))
                    .extracting(row -> row.get("Outcome")).containsExactly("validated");
        }
        // What the first recorded is in the ledger's file, not only in a process that kept a file nobody can open again
        // (IFEXISTS: no new, empty database where the ledger file should be).
        String url = "jdbc:h2:file:" + folders.dataDir().resolve("ledger") + ";IFEXISTS=TRUE";
        List<String> finished = new ArrayList<>();
        try (Connection ledger = DriverManager.getConnection(url, "sa", ""); Statement query = ledger.createStatement();
             ResultSet rows = query.executeQuery("SELECT name FROM hash_file WHERE status = 'FINISHED'")) {
            while (rows.next()) {
                finished.add(rows.getString("name"));
            }
        }
        assertThat(finished).containsExactly("after-refusal.csv");
    }
}
