package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.OtherFileSystem;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An inbox on another file system than the data folder (an SMB share, a second drive): a file is copied out of it,
 * forced to disk, and only then removed from the inbox, where a rename cannot cross.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
class InboxOnAnotherFileSystemIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("other-fs-secret-" + UUID.randomUUID());
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final Path INBOX = OtherFileSystem.folderBeside(FOLDERS.root());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        registry.add("autopilot.inbox", INBOX::toString);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void importsAFileFromAnInboxOnAnotherFileSystemAndLeavesNoCopyBehind() throws IOException {
        Random random = new Random(3);
        List<String> lines = List.of("Device Serial Number,Hardware Hash", "SHARE-1," + HashFiles.hash(random),
                "SHARE-2," + HashFiles.hash(random));
        HashFiles.drop(INBOX, "share.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        List<Map<String, String>> rows = CsvTable.read(ServiceFolders.await(FOLDERS.done(), "share.csv.results.csv",
                Duration.ofSeconds(60)));

        assertThat(rows).extracting(r -> r.get("Outcome")).containsOnly("imported");
        assertThat(GRAPH.imports().registrations("SHARE-1")).isEqualTo(1);
        assertThat(FOLDERS.done().resolve("share.csv")).exists();
        assertThat(INBOX).isEmptyDirectory();
        try (Stream<Path> left = Files.walk(FOLDERS.dataDir().resolve("processing"))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
