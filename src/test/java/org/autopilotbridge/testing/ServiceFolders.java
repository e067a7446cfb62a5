package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The folders of one service instance under test, in a fresh temporary directory. */
public record ServiceFolders(Path root) {

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

    public void register(DynamicPropertyRegistry registry) {
        registry.add("autopilot.inbox", () -> inbox().toString());
        registry.add("autopilot.done", () -> done().toString());
        registry.add("autopilot.dead-letter", () -> deadLetter().toString());
        registry.add("autopilot.data-dir", () -> dataDir().toString());
        registry.add("camel.main.run-controller", () -> "false");
    }

    /** Waits until the service has written {@code fileName} in {@code dir}. */
    public static Path await(Path dir, String fileName, Duration atMost) {
        Path file = dir.resolve(fileName);
        Awaitility.await(fileName).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(file));
        return file;
    }
}
