package org.autopilotbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;

/**
 * The packaged service, run as an admin runs it ({@code java -Xmx... -jar}), against the stand-in: one file dropped
 * into its inbox, timed until its results file is written (every device final) and until Graph's staging records
 * are deleted. Peak RSS comes from /proc, peak heap from the JVM's own GC log.
 */
final class ServiceRun {

    record Figures(int devices, long imported, Duration toResults, Duration toCleanedUp, long peakRssBytes,
                   long peakHeapBytes, int importCalls, int createCalls, int listPages, int batchCalls, int tokenRequests) {
        double devicesPerSecond() {
            return devices / (toResults.toNanos() / 1e9);
        }

        double perThousand(int calls) {
            return calls * 1000.0 / devices;
        }
    }

    /** {@code [12.3s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 4.1ms}: 120M used. */
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->\\d+[KMG]\\(\\d+[KMG]\\)");

    private ServiceRun() {
    }

    static Figures run(Benchmark.Options options, Path file, int devices, GraphStandIn graph, List<String> graphArguments)
            throws IOException, InterruptedException {
        ServiceFolders folders = new ServiceFolders(Files.createDirectories(options.work().resolve("service-" + devices)));
        Path gcLog = folders.root().resolve("gc.log");
        List<String> arguments = new ArrayList<>(folders.arguments());
        arguments.addAll(graphArguments);
        arguments.add("--autopilot.poll-interval=1s");
        arguments.add("--autopilot.graph-concurrency=" + options.concurrency());
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + options.heap(), "-Xlog:gc:file=" + gcLog));
        if (options.profile()) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + folders.root().resolve("service.jfr"));
        }
        Path log = folders.root().resolve("service.log");
        try (ForkedBridge service = ForkedBridge.startJar(options.jar(), jvm, log, arguments)) {
            Awaitility.await("service started").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> running(service, log) && Files.readString(log).contains("Started AutopilotBridgeApplication"));
            Path staged = Files.copy(file, folders.root().resolve(".staged.csv"), StandardCopyOption.REPLACE_EXISTING);
            String name = "bench-" + devices + ".csv";
            long start = System.nanoTime();
            Files.createDirectories(folders.inbox());
            Files.move(staged, folders.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Path results = folders.done().resolve(name + ".results.csv");
            Awaitility.await("results written").atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(50))
                    .until(() -> running(service, log) && Files.exists(results));
            Duration toResults = Duration.ofNanos(System.nanoTime() - start);
            Awaitility.await("staging cleaned up").atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> graph.storedRecords() == 0);
            Duration toCleanedUp = Duration.ofNanos(System.nanoTime() - start);
            long peakRss = service.peakResidentBytes();
            return new Figures(devices, imported(results), toResults, toCleanedUp, peakRss, peakHeap(gcLog),
                    graph.importCalls().size(), graph.createCalls(), graph.listPages(), graph.batchCalls(),
                    graph.tokenRequests());
        }
    }

    private static boolean running(ForkedBridge service, Path log) {
        if (!service.isAlive()) {
            throw new IllegalStateException("the service stopped; its log is " + log);
        }
        return true;
    }

    private static long imported(Path results) throws IOException {
        try (Stream<String> lines = Files.lines(results)) {
            return lines.filter(l -> l.contains(",imported,")).count();
        }
    }

    /** The most heap in use just before any collection: the peak the collector saw. */
    private static long peakHeap(Path gcLog) throws IOException {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                long unit = switch (m.group(2)) {
                    case "K" -> 1L << 10;
                    case "M" -> 1L << 20;
                    default -> 1L << 30;
                };
                peak = Math.max(peak, Long.parseLong(m.group(1)) * unit);
            }
        }
        return peak;
    }
}
