package org.autopilotbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.ShippedUnit;
import org.awaitility.Awaitility;

/** Where a service runs and with what: its folders, arguments, JVM options and logs. */
record BenchService(Benchmark.Options options, ServiceFolders folders, List<String> arguments, List<String> jvm,
                       Path gcLog, Path log) {

    static BenchService at(Benchmark.Options options, String name, List<String> graphArguments) throws IOException {
        Path root = options.work().resolve(name);
        // A ledger, results or staging files left by an earlier run would be taken for this one's.
        Benchmark.deleteTree(root);
        ServiceFolders folders = new ServiceFolders(Files.createDirectories(root));
        Path gcLog = folders.root().resolve("gc.log");
        List<String> arguments = new ArrayList<>(folders.arguments());
        arguments.addAll(graphArguments);
        arguments.add("--autopilot.poll-interval=1s");
        arguments.add("--autopilot.graph-concurrency=" + options.concurrency());
        List<String> jvm = new ArrayList<>(ShippedUnit.jvmOptions(options.heap()));
        // Each line with the time of day, so that the pauses between a drop and its results can be counted.
        jvm.add("-Xlog:gc:file=" + gcLog + ":utctime,uptime,level,tags");
        if (options.profile()) {
            jvm.add("-Xlog:gc*:file=" + folders.root().resolve("gc-details.log"));
            // Deep enough for a sample inside H2's B-tree to keep the service's method that asked for it (64 frames do not).
            jvm.add("-XX:FlightRecorderOptions=stackdepth=256");
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + folders.root().resolve("service.jfr"));
        }
        return new BenchService(options, folders, arguments, jvm, gcLog, folders.root().resolve("service.log"));
    }

    /**
     * A copy of the file, written before the service starts and moved into the inbox once it is ready, as `mv` or
     * Windows' move delivers a finished file; written and renamed within one tick of the file system's clock, a
     * file is judged by its age instead (ingest/WholeFileReadLock).
     */
    Path stage(Path file) throws IOException {
        return Files.copy(file, folders.root().resolve(".staged-" + file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    ForkedBridge start() throws IOException {
        ForkedBridge service = ForkedBridge.startJar(options.jar(), jvm, Path.of("").toAbsolutePath(), ServiceRun.UNIT_ENVIRONMENT,
                log, arguments);
        Awaitility.await("service started").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> ServiceRun.running(service, log) && Files.readString(log).contains("Started AutopilotBridgeApplication"));
        // Dropped into a service that is ready (its start-up checks done), as a file arrives at one that runs: a
        // drop in the second after start timed the start-up's own work as the inbox's.
        ServiceRun.awaitReady(ForkedBridge.boundPort(log).orElseThrow());
        return service;
    }
}
