package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service in a JVM of its own (the test's class path, this project as working directory). */
public final class ForkedBridge implements AutoCloseable {

    /** Spring Boot's line once the web server listens, with the port it bound. */
    private static final Pattern BOUND = Pattern.compile("Tomcat started on port (\\d+)");

    private final Process process;

    private ForkedBridge(Process process) {
        this.process = process;
    }

    /** Starts the service, halting at {@code crashAt} (null: never), with its output in {@code log}. */
    public static ForkedBridge start(CrashingBridge.Step crashAt, Path log, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.add("-Xmx512m");
        // A fork lives for seconds: the quick compiler alone starts it sooner and leaves the second core to the test.
        command.add("-XX:TieredStopAtLevel=1");
        if (crashAt != null) {
            command.add("-Dcrash.at=" + crashAt.name());
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashingBridge.class.getName());
        command.addAll(arguments);
        return launch(new ProcessBuilder(command), log);
    }

    /** Starts the packaged service as an admin runs it: {@code java <options> -jar <jar> <arguments>}. */
    public static ForkedBridge startJar(Path jar, List<String> jvmOptions, Path log, List<String> arguments) {
        return startJar(jar, jvmOptions, Path.of("").toAbsolutePath(), Map.of(), log, arguments);
    }

    /** The same, from {@code workingDirectory} and with {@code environment} added, as a service manager starts it. */
    public static ForkedBridge startJar(Path jar, List<String> jvmOptions, Path workingDirectory,
                                        Map<String, String> environment, Path log, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        return launch(builder, log);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static ForkedBridge launch(ProcessBuilder command, Path log) {
        try {
            return new ForkedBridge(command.redirectErrorStream(true).redirectOutput(log.toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port a service started with server.port=0 bound, from its log; empty until its web server listens. */
    public static OptionalInt boundPort(Path log) throws IOException {
        Matcher bound = BOUND.matcher(Files.readString(log));
        return bound.find() ? OptionalInt.of(Integer.parseInt(bound.group(1))) : OptionalInt.empty();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its peak resident memory so far, from Linux's /proc (VmHWM), in bytes. */
    public long peakResidentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IOException("no VmHWM in /proc/" + process.pid() + "/status");
    }

    /** The processor time it has used so far, user and system. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElseThrow();
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the service did not stop within " + atMost);
        }
        return process.exitValue();
    }

    /** Kills the service as {@code kill -9} does: no shutdown hook, no clean-up, its leases left to run out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
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
