package org.autopilotbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;

/**
 * The packaged service, run as an admin runs it (with the JVM options and the environment of the shipped systemd
 * unit, at the benchmark's -Xmx), against the stand-in: one file dropped into its inbox, timed until its results file is
 * written (every device final) and until Graph's staging records are deleted. Peak RSS comes from /proc, peak
 * heap from the JVM's own GC log, the timeline from the service's log.
 * <p>
 * With {@code budget}, the stand-in enforces Intune's windows (100 writes and 1,000 requests per 20 s, answering
 * 429 without Retry-After, as Intune often does) and the service keeps its default budget. Clean-up then takes
 * hours at 100,000 devices: it is watched for {@code budget-cleanup} seconds and its end extrapolated from its
 * rate, unless {@code -Dbench.budget-cleanup=full}.
 * <p>
 * With {@code probeReadiness}, once the staging records are deleted, the readiness probe is timed through a token
 * endpoint outage ({@link ReadinessProbe}).
 */
final class ServiceRun {

    /** This JVM, where the stand-in answers the service. */
    static final com.sun.management.OperatingSystemMXBean OWN_PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Intune's documented enrollment budget per app and tenant, and the service's defaults. */
    static final int WRITES_PER_20S = 100;
    static final int REQUESTS_PER_20S = 1000;
    /** What the shipped systemd unit sets (src/dist/systemd), so RSS is what an admin on Linux sees. */
    static final Map<String, String> UNIT_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    /** What one run cost Graph, as the stand-in counted it. */
    record GraphCounts(int importCalls, int createCalls, int listPages, int batchCalls, int recordReads,
                       int recordsDeleted, int syncCalls, int tokenRequests, int throttled) {
        /** Writes the whole run needs: import calls, creates, syncs and one delete for every staged record. */
        int writesNeeded(long staged) {
            return importCalls + createCalls + syncCalls + (int) staged;
        }

        /** Graph requests served (each request inside a $batch on its own) and those answered 429. */
        int requests() {
            return importCalls + createCalls + listPages + recordReads + recordsDeleted + syncCalls + throttled;
        }
    }

    /** When each step ended, from the service's log, counted from the drop. */
    record Timeline(Duration readingStarts, Duration recorded, Duration lastImportAnswered, Duration lastBatchFinal,
                    long linesRecorded) {
        double recordedPerSecond() {
            return linesRecorded / ((recorded.toNanos() - readingStarts.toNanos()) / 1e9);
        }
    }

    record Figures(boolean budget, int devices, long imported, Duration toResults, Duration toCleanedUp,
                   boolean cleanupMeasured, int deletedWatched, Duration cleanupWatched, double deletesPerSecond,
                   long staged, long peakRssBytes, long peakHeapBytes, Duration serviceCpu, Duration standInCpu,
                   GcPauses gcPauses, GraphCounts graph, Timeline timeline, ReadinessProbe.Figures readiness) {

        double perThousand(int calls) {
            return calls * 1000.0 / devices;
        }

        /** The budget's floor to the results: the import and create calls at 100 writes per 20 s. */
        Duration resultsFloor() {
            return floor(graph.importCalls() + graph.createCalls());
        }

        /** The budget's floor to the last delete: every write of the run at 100 writes per 20 s. */
        Duration cleanupFloor() {
            return floor(graph.writesNeeded(staged));
        }

        private static Duration floor(int writes) {
            return Duration.ofMillis(writes * 20_000L / WRITES_PER_20S);
        }
    }

    /** {@code [12.3s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 4.1ms}: 120M used. */
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->\\d+[KMG]\\(\\d+[KMG]\\)");
    /** The ISO instant that starts each line of the service's log. */
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)");

    private ServiceRun() {
    }

    static Figures run(Benchmark.Options options, Path file, int devices, boolean budget, boolean probeReadiness)
            throws IOException, InterruptedException {
        try (GraphStandIn graph = Benchmark.standIn(options, "bench-" + UUID.randomUUID())) {
            return run(options, file, devices, budget, probeReadiness, graph, graphArguments(graph, budget));
        }
    }

    /**
     * The service's settings for the stand-in; under the budget, the stand-in enforces Intune's windows (429 without
     * Retry-After, as Intune often answers) and the service keeps its default budget.
     */
    static List<String> graphArguments(GraphStandIn graph, boolean budget) {
        if (!budget) {
            return graph.arguments();
        }
        graph.faults().enforceBudget(WRITES_PER_20S, REQUESTS_PER_20S, false);
        // The stand-in's arguments lift the service's budget: without them it keeps its defaults.
        return graph.arguments().stream().filter(a -> !a.startsWith("--autopilot.graph-budget.")).toList();
    }

    private static Figures run(Benchmark.Options options, Path file, int devices, boolean budget, boolean probeReadiness,
                               GraphStandIn graph, List<String> graphArguments) throws IOException, InterruptedException {
        BenchService setup = BenchService.at(options, "service-" + devices + (budget ? "-budget" : ""), graphArguments);
        ServiceFolders folders = setup.folders();
        Path log = setup.log();
        Path staged = setup.stage(file);
        try (ForkedBridge service = setup.start()) {
            Drop drop = Drop.of(service, setup, staged, "bench-" + devices + ".csv");
            long start = drop.startNanos();
            Duration toResults = drop.toResults();
            Path results = drop.results();

            long stagedRecords = graph.imports().calls().stream().filter(c -> c.status() == 200)
                    .mapToLong(c -> c.serials().size()).sum() + graph.imports().createCalls();
            CleanupWatch cleanup = new CleanupWatch(start, (int) stagedRecords);
            Duration watchFor = budget ? options.budgetCleanup() : null;
            Awaitility.await("staging cleaned up").atMost(Duration.ofHours(12)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        long now = System.nanoTime();
                        cleanup.sample(now, graph.staged().count());
                        return running(service, log) && (cleanup.done()
                                || (watchFor != null && cleanup.watched(now).compareTo(watchFor) >= 0));
                    });
            long peakRss = service.peakResidentBytes();
            GcPauses pauses = GcPauses.between(setup.gcLog(), drop.dropped(), drop.dropped().plus(toResults));
            Duration watched = cleanup.watched(System.nanoTime());
            GraphCounts counts = new GraphCounts(graph.imports().calls().size(), graph.imports().createCalls(),
                    graph.staged().listPages(), graph.batches().calls(), graph.staged().reads(),
                    cleanup.deleted((int) stagedRecords),
                    (int) graph.faults().syncCalls().stream().filter(c -> c.status() == 204).count(),
                    graph.tokens().requests(), graph.faults().overBudget());
            // After every other figure is taken: the outage's own file and token requests are not the run's.
            ReadinessProbe.Figures readiness = probeReadiness
                    ? ReadinessProbe.duringTokenOutage(graph, folders, ForkedBridge.boundPort(log).orElseThrow()) : null;
            return new Figures(budget, devices, imported(results), toResults, cleanup.toLastDelete(), cleanup.done(),
                    cleanup.deleted((int) stagedRecords), watched, cleanup.perSecond(), stagedRecords, peakRss,
                    peakHeap(setup.gcLog()), drop.serviceCpu(), drop.standInCpu(), pauses, counts, drop.timeline(), readiness);
        }
    }

    /** A file dropped into a service that has finished one already: its code compiled, its caches filled. */
    record Warm(int devices, int warmUpDevices, long imported, Duration toResults, Duration serviceCpu, GcPauses gcPauses,
                Timeline timeline) {
    }

    /**
     * One service: the warm-up file dropped, its results and its clean-up awaited, then {@code file} dropped and timed
     * as {@link #run} times it. What the first file after a start pays for compiling the service's code (the JIT) is
     * then apart from what every file pays.
     */
    static Warm warm(Benchmark.Options options, Path warmUp, int warmUpDevices, Path file, int devices)
            throws IOException, InterruptedException {
        try (GraphStandIn graph = Benchmark.standIn(options, "bench-" + UUID.randomUUID())) {
            BenchService setup = BenchService.at(options, "service-" + devices + "-warm", graph.arguments());
            // Both staged before the start, so that the measured file is renamed into the inbox long after it was written.
            Path first = setup.stage(warmUp);
            Path second = setup.stage(file);
            try (ForkedBridge service = setup.start()) {
                Drop.of(service, setup, first, "warm-up-" + warmUpDevices + ".csv");
                Awaitility.await("warm-up cleaned up").atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(100))
                        .until(() -> running(service, setup.log()) && graph.staged().count() == 0);
                Drop drop = Drop.of(service, setup, second, "bench-" + devices + ".csv");
                return new Warm(devices, warmUpDevices, imported(drop.results()), drop.toResults(), drop.serviceCpu(),
                        GcPauses.between(setup.gcLog(), drop.dropped(), drop.dropped().plus(drop.toResults())), drop.timeline());
            }
        }
    }

    static boolean running(ForkedBridge service, Path log) {
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

    /** The service's own log lines for reading the file, the last import answer and the last batch final. */
    static void awaitReady(int port) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(10)).build();
        Awaitility.await("service ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    static Timeline timeline(Path log, String name, Instant dropped) throws IOException {
        Duration reading = null;
        Duration recorded = null;
        Duration imported = null;
        Duration settled = null;
        long lines = 0;
        Pattern recordedLine = Pattern.compile("Recorded (\\d+) lines of " + Pattern.quote(name));
        for (String line : Files.readAllLines(log)) {
            Matcher time = LOG_TIME.matcher(line);
            if (!time.find()) {
                continue;
            }
            Duration at = Duration.between(dropped, Instant.parse(time.group(1)));
            Matcher count = recordedLine.matcher(line);
            if (line.contains("Reading " + name + " from")) {
                reading = at;
            } else if (count.find()) {
                recorded = at;
                lines = Long.parseLong(count.group(1));
            } else if (line.contains("Graph accepted")) {
                imported = at;
            } else if (line.contains(" settled")) {
                settled = at;
            }
        }
        return new Timeline(reading, recorded, imported, settled, lines);
    }
}
