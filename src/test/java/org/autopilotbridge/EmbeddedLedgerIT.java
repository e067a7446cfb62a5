package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded H2 ledger is for one instance: a second one on the same data folder refuses to start, and says why. */
class EmbeddedLedgerIT {

    @Test
    void aSecondInstanceOnTheSameDataFolderRefusesToStartAndPointsToPostgres() throws Exception {
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
                    .contains("is in use by another instance of the service")
                    .contains("several instances need PostgreSQL (spring.datasource.url=jdbc:postgresql://");
            assertThat(first.isRunning()).as("the first instance is untouched").isTrue();
        }
    }
}
