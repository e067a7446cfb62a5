package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.ledger.DeviceFileReference;
import org.autopilotbridge.ledger.HashSpool;
import org.autopilotbridge.ledger.HashesToSpool;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The folders of one service instance under test, in a fresh temporary directory. */
public record ServiceFolders(Path root) {

    /** Where Flyway finds the embedded ledger's migrations, as config/application.yml gives them for H2. */
    public static final String[] EMBEDDED_LEDGER_MIGRATIONS = {"classpath:db/migration/common", "classpath:db/migration/h2"};

    public static ServiceFolders create() {
        try {
            return new ServiceFolders(Files.createTempDirectory("autopilot-bridge-test"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path inbox() { return root.resolve("inbox"); }
    public Path done() { return root.resolve("done"); }
    public Path deadLetter() { return root.resolve("dead-letter"); }
    public Path dataDir() { return root.resolve("state"); }

    /** The same settings as command-line arguments, for a service in a JVM of its own. */
    public List<String> arguments() {
        return List.of("--autopilot.inbox=" + inbox(), "--autopilot.done=" + done(),
                "--autopilot.dead-letter=" + deadLetter(), "--autopilot.data-dir=" + dataDir(), "--server.port=0");
    }

    public void register(DynamicPropertyRegistry registry) {
        registry.add("autopilot.inbox", () -> inbox().toString());
        registry.add("autopilot.done", () -> done().toString());
        registry.add("autopilot.dead-letter", () -> deadLetter().toString());
        registry.add("autopilot.data-dir", () -> dataDir().toString());
        registry.add("camel.main.run-controller", () -> "false");
    }

    /** Leaves the embedded ledger as the service leaves it: its schema migrated by Flyway. */
    public void migrateEmbeddedLedger() {
        Flyway.configure().dataSource("jdbc:h2:file:" + dataDir().resolve("ledger"), "sa", "")
                .locations(EMBEDDED_LEDGER_MIGRATIONS).javaMigrations(javaMigrations(hashSpool(dataDir()))).load().migrate();
    }

    /** The ledger's migrations written in Java, which Spring hands Flyway in the service, over this hash spool. */
    public static JavaMigration[] javaMigrations(HashSpool hashes) {
        return new JavaMigration[] {new HashesToSpool(hashes), new DeviceFileReference()};
    }

    /** The hash spool of a service whose autopilot.data-dir is {@code dataDir}. */
    public static HashSpool hashSpool(Path dataDir) {
        FolderProperties folders = new FolderProperties();
        folders.setDataDir(dataDir);
        return new HashSpool(folders);
    }

    /** Drops a file with one realistic device per serial number and returns its results, one map per line. */
    public List<Map<String, String>> importDevices(String fileName, Random random, String... serials) throws IOException {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash"));
        for (String serial : serials) {
            lines.add(serial + "," + HashFiles.hash(random));
        }
        return importLines(fileName, lines);
    }

    /** Drops a file of these lines (header first; UTF-8, CRLF) and returns its results, one map per line. */
    public List<Map<String, String>> importLines(String fileName, List<String> lines) throws IOException {
        HashFiles.drop(inbox(), fileName, HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        return results(fileName);
    }

    /** Waits for the results the service writes in done/ for {@code fileName}, and reads them, one map per line. */
    public List<Map<String, String>> results(String fileName) throws IOException {
        return CsvTable.read(await(done(), fileName + ".results.csv", Duration.ofSeconds(60)));
    }

    /** Waits until the service has written {@code fileName} in {@code dir}. */
    public static Path await(Path dir, String fileName, Duration atMost) {
        Path file = dir.resolve(fileName);
        Awaitility.await(fileName).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(file));
        return file;
    }

    /** How many route files the project's routes/ folder holds, as the service loads them. */
    public static long routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).count();
        }
    }
}
