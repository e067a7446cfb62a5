package org.autopilotbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.Postgres;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.ShippedUnit;
import org.awaitility.Awaitility;

/**
 * Throughput of several instances against one: {@code instances} packaged services on one PostgreSQL ledger (the
 * embedded one the tests use) and one folder tree, as an admin runs them, each with the benchmark's heap and
 * concurrency; {@link #FILES} files dropped at once (a file is read by one instance, its batches are sent, followed
 * and cleaned up by any), timed from the drop until every results file is written. Under the budget the stand-in
 * enforces Intune's windows for the whole tenant, which the instances share.
 */
final class ClusterRun {

    static final int FILES = 5;

    /** One run: drop to the last results file, and each instance's share of the import calls. */
    record Figures(int instances, boolean budget, int devices, Duration toResults, List<Integer> importsPerInstance,
                   int throttled) {
        double devicesPerSecond() {
            return devices / (toResults.toNanos() / 1e9);
        }
    }

    private ClusterRun() {
    }

    static Figures run(Benchmark.Options options, List<Path> files, int devices, int instances, boolean budget)
            throws IOException, InterruptedException {
        Path root = options.work().resolve("cluster-" + instances + (budget ? "-budget" : ""));
        Benchmark.deleteTree(root);
        ServiceFolders folders = new ServiceFolders(Files.createDirectories(root));
        Map<String, String> database = Postgres.newDatabase();
        List<ForkedBridge> services = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try (GraphStandIn graph = Benchmark.standIn(options, "bench-" + UUID.randomUUID())) {
            List<String> graphArguments = ServiceRun.graphArguments(graph, budget);
            for (int i = 1; i <= instances; i++) {
                List<String> arguments = new ArrayList<>(folders.arguments());
                arguments.addAll(graphArguments);
                arguments.addAll(Postgres.arguments(database));
                arguments.addAll(List.of("--autopilot.poll-interval=1s", "--autopilot.graph-concurrency=" + options.concurrency(),
                        "--autopilot.cluster.instance-id=bench-" + i));
                Path log = root.resolve("instance-" + i + ".log");
                logs.add(log);
                services.add(ForkedBridge.startJar(options.jar(), ShippedUnit.jvmOptions(options.heap()), Path.of("").toAbsolutePath(),
                        ServiceRun.UNIT_ENVIRONMENT, log, arguments));
            }
            Awaitility.await("instances started").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> allStarted(services, logs));
            List<Path> staged = new ArrayList<>();
            for (Path file : files) {
                staged.add(Files.copy(file, root.resolve("." + file.getFileName()), StandardCopyOption.REPLACE_EXISTING));
            }
            Files.createDirectories(folders.inbox());
            long start = System.nanoTime();
            for (Path file : staged) {
                Files.move(file, folders.inbox().resolve(file.getFileName().toString().substring(1)), StandardCopyOption.ATOMIC_MOVE);
            }
            Awaitility.await("every results file").atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(50))
                    .until(() -> allAlive(services, logs)
                            && reported(folders.done()) + reported(folders.deadLetter()) == files.size());
            Duration toResults = Duration.ofNanos(System.nanoTime() - start);
            List<Integer> imports = new ArrayList<>();
            for (Path log : logs) {
                try (Stream<String> lines = Files.lines(log)) {
                    imports.add((int) lines.filter(l -> l.contains("Graph accepted")).count());
                }
            }
            return new Figures(instances, budget, devices, toResults, imports, graph.faults().overBudget());
        } finally {
            for (ForkedBridge service : services) {
                service.close();
            }
        }
    }

    private static boolean allStarted(List<ForkedBridge> services, List<Path> logs) throws IOException {
        for (int i = 0; i < services.size(); i++) {
            if (!ServiceRun.running(services.get(i), logs.get(i))
                    || !Files.readString(logs.get(i)).contains("Started AutopilotBridgeApplication")) {
                return false;
            }
        }
        return true;
    }

    private static boolean allAlive(List<ForkedBridge> services, List<Path> logs) {
        for (int i = 0; i < services.size(); i++) {
            ServiceRun.running(services.get(i), logs.get(i));
        }
        return true;
    }

    /** Results files in a folder: done, or dead-letter for a file that could not be read to its end. */
    private static long reported(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".results.csv")).count();
        }
    }
}
