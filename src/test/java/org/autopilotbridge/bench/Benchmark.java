package org.autopilotbridge.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;

/**
 * The figures in docs/performance.md: {@code mvn -B -Pbench verify}, with {@code -Dbench.devices},
 * {@code -Dbench.latency-ms}, {@code -Dbench.per-device-sample}, {@code -Dbench.heap}, {@code -Dbench.concurrency},
 * {@code -Dbench.runs} ({@code plain,budget}: the service without and with Intune's budget; {@code warm}: the large
 * file dropped into a service that has finished the small one) and
 * {@code -Dbench.budget-cleanup} (seconds of clean-up watched under the budget before its end is extrapolated, or
 * {@code full}), {@code -Dbench.instances} (1,3: instances on one PostgreSQL ledger, compared) and
 * {@code -Dbench.cluster-devices} (50,000, in five files) and {@code -Dbench.profile-devices} (1,000 followed for their
 * deployment profile; 0: none) to change what is measured; {@code -Dbench.profile=true} also records the service with Java Flight
 * Recorder ({@code target/bench/service-<devices>[-budget]/service.jfr}) and a detailed GC log to show where the time
 * goes. Each service run is made for a tenth of the file and the whole file. It prints Markdown tables and writes
 * them to {@code target/bench/results.md}. It measures and reports; it never fails on a figure.
 */
public final class Benchmark {

    record Options(Path jar, Path work, int devices, Duration latency, int perDeviceSample, String heap, int concurrency,
                   boolean profile, Set<String> runs, Duration budgetCleanup, List<Integer> instances, int clusterDevices,
                   int profileDevices) {

        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                given.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
            String cleanup = given.getOrDefault("budget-cleanup", "240");
            return new Options(Path.of(given.get("jar")), Path.of(given.getOrDefault("work", "target/bench")),
                    Integer.parseInt(given.getOrDefault("devices", "100000")),
                    Duration.ofMillis(Long.parseLong(given.getOrDefault("latency-ms", "100"))),
                    Integer.parseInt(given.getOrDefault("per-device-sample", "300")),
                    given.getOrDefault("heap", "256m"), Integer.parseInt(given.getOrDefault("concurrency", "8")),
                    Boolean.parseBoolean(given.getOrDefault("profile", "false")),
                    Set.of(given.getOrDefault("runs", "plain,budget").split(",")),
                    cleanup.equals("full") ? null : Duration.ofSeconds(Long.parseLong(cleanup)),
                    Stream.of(given.getOrDefault("instances", "1,3").split(",")).filter(n -> !n.isBlank())
                            .map(Integer::valueOf).toList(),
                    Integer.parseInt(given.getOrDefault("cluster-devices", "50000")),
                    Integer.parseInt(given.getOrDefault("profile-devices", "1000")));
        }

        int small() {
            return Math.max(1000, devices / 10);
        }
    }

    /** What was measured, for {@link BenchReport}; a service run not asked for is null. */
    record Results(ParseThroughput.Figures parse, BareClients.Figures bareSmall, BareClients.Figures bare,
                   BareClients.Figures perDevice, ServiceRun.Figures plainSmall, ServiceRun.Figures plain,
                   ServiceRun.Figures budgetSmall, ServiceRun.Figures budget, ServiceRun.Warm warm, List<ClusterRun.Figures> cluster,
                   ProfileCost.Figures profiles, List<String> load) {
    }

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Files.createDirectories(options.work());
        Path file = write(options.work().resolve("devices-" + options.devices() + ".csv"), options.devices(), "PF");
        Path smallFile = write(options.work().resolve("devices-" + options.small() + ".csv"), options.small(), "PF");
        List<String> load = new ArrayList<>();

        step(load, "Parse + validate + transform, and + record into the ledger, one thread");
        ParseThroughput.Figures parse = ParseThroughput.measure(file, smallFile, 5, 3, options.work());
        step(load, "Bare batched client, " + options.small() + " and " + options.devices() + " devices");
        BareClients.Figures bareSmall = bare(options, clients -> clients.batched(smallFile));
        BareClients.Figures bare = bare(options, clients -> clients.batched(file));
        step(load, "One call per device, " + options.perDeviceSample() + " devices");
        BareClients.Figures perDevice = bare(options, clients -> clients.perDevice(file, options.perDeviceSample()));
        ServiceRun.Figures[] service = new ServiceRun.Figures[4];
        for (boolean budget : new boolean[] {false, true}) {
            if (!options.runs().contains(budget ? "budget" : "plain")) {
                continue;
            }
            int at = budget ? 2 : 0;
            step(load, "The service" + (budget ? " under Intune's budget" : "") + ", " + options.small() + " devices");
            service[at] = ServiceRun.run(options, smallFile, options.small(), budget, !budget);
            step(load, "The service" + (budget ? " under Intune's budget" : "") + ", " + options.devices() + " devices");
            service[at + 1] = ServiceRun.run(options, file, options.devices(), budget, false);
        }
        ServiceRun.Warm warm = null;
        if (options.runs().contains("warm")) {
            step(load, "The service, " + options.devices() + " devices after " + options.small() + " (warm)");
            // Serial numbers of their own: the measured file's devices are all new to the service, as in the cold run.
            Path warmUp = write(options.work().resolve("warm-up-" + options.small() + ".csv"), options.small(), "PW");
            warm = ServiceRun.warm(options, warmUp, options.small(), file, options.devices());
        }
        List<ClusterRun.Figures> cluster = new ArrayList<>();
        if (!options.instances().isEmpty()) {
            int perFile = options.clusterDevices() / ClusterRun.FILES;
            List<Path> files = new ArrayList<>();
            for (int i = 1; i <= ClusterRun.FILES; i++) {
                files.add(write(options.work().resolve("cluster-" + perFile + "-" + i + ".csv"), perFile, "PC" + i));
            }
            for (boolean budget : new boolean[] {false, true}) {
                for (int instances : options.instances()) {
                    if (options.runs().contains(budget ? "budget" : "plain")) {
                        step(load, instances + " instance(s) on PostgreSQL" + (budget ? " under Intune's budget" : "") + ", "
                                + ClusterRun.FILES + " files of " + perFile + " devices");
                        cluster.add(ClusterRun.run(options, files, perFile * ClusterRun.FILES, instances, budget));
                    }
                }
            }
        }
        ProfileCost.Figures profiles = null;
        if (options.profileDevices() > 0) {
            step(load, "Deployment profiles followed, " + options.profileDevices() + " devices");
            profiles = ProfileCost.run(options, write(options.work().resolve("profiles-" + options.profileDevices() + ".csv"),
                    options.profileDevices(), "PP"), options.profileDevices());
        }
        step(load, "Done");

        String report = BenchReport.markdown(options, new Results(parse, bareSmall, bare, perDevice, service[0],
                service[1], service[2], service[3], warm, cluster, profiles, load));
        System.out.println(report);
        Files.writeString(options.work().resolve("results.md"), report);
    }

    /** Prints and keeps the step with the machine's load average as it starts: the machine may be shared. */
    private static void step(List<String> load, String step) throws IOException {
        String line = String.format("%tT %s (load average %s)", System.currentTimeMillis(), step,
                Files.readString(Path.of("/proc/loadavg")).substring(0, 14).strip());
        System.out.println(line);
        load.add(line);
    }

    private interface BareRun {
        BareClients.Figures on(BareClients clients) throws IOException, InterruptedException;
    }

    private static BareClients.Figures bare(Options options, BareRun run) throws IOException, InterruptedException {
        String secret = "bench-" + UUID.randomUUID();
        try (GraphStandIn graph = standIn(options, secret)) {
            return run.on(new BareClients(graph, secret));
        }
    }

    /** A stand-in answering every call after the benchmark's latency, every import final at its first listing. */
    static GraphStandIn standIn(Options options, String secret) {
        GraphStandIn graph = new GraphStandIn(secret);
        graph.latency(options.latency());
        graph.staged().settleAtOnce();
        return graph;
    }

    /** Deletes a folder with everything in it, if it exists. */
    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Realistic rows: about 4,000-character hashes, a product key column, one hash in 100 missing its padding; serial
     * numbers start with {@code prefix}, so that the files of one run never share a device.
     */
    private static Path write(Path file, int devices, String prefix) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Random random = new Random(devices);
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            out.write("Device Serial Number,Windows Product ID,Hardware Hash\r\n");
            for (int i = 1; i <= devices; i++) {
                String hash = i % 100 == 0 ? HashFiles.unpaddedHash(random) : HashFiles.hash(random);
                out.write(String.format("%s%08d,,%s\r\n", prefix, i, hash));
            }
        }
        return Files.move(partial, file);
    }
}
