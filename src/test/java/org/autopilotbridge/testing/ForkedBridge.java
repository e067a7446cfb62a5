package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The service in a JVM of its own (the test's class path, this project as working directory). */
public final class ForkedBridge implements AutoCloseable {

    private final Process process;

    private ForkedBridge(Process process) {
        this.process = process;
    }

    /** Starts the service, halting at {@code crashAt} (null: never), with its output in {@code log}. */
    public static ForkedBridge start(CrashingBridge.Step crashAt, Path log, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        if (crashAt != null) {
            command.add("-Dcrash.at=" + crashAt.name());
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashingBridge.class.getName());
        command.addAll(arguments);
        try {
            return new ForkedBridge(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the service did not stop within " + atMost);
        }
        return process.exitValue();
    }

    /** Stops the service as an init system would: SIGTERM, then a kill if it does not go. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
