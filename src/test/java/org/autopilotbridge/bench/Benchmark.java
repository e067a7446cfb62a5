package org.autopilotbridge.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;

/**
 * The figures in the README's performance section: {@code mvn -B -Pbench verify}, with {@code -Dbench.devices},
 * {@code -Dbench.latency-ms}, {@code -Dbench.per-device-sample}, {@code -Dbench.heap} and
 * {@code -Dbench.concurrency} to change what is measured; {@code -Dbench.profile=true} also records the service
 * with Java Flight Recorder ({@code target/bench/service-<devices>/service.jfr}) to show where the time goes. It prints a Markdown table and writes it to
 * {@code target/bench/results.md}. It measures and reports; it never fails on a figure.
 */
public final class Benchmark {

    record Options(Path jar, Path work, int devices, Duration latency, int perDeviceSample, String heap, int concurrency,
                   boolean profile) {

        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                given.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
            return new Options(Path.of(given.get("jar")), Path.of(given.getOrDefault("work", "target/bench")),
                    Integer.parseInt(given.getOrDefault("devices", "100000")),
                    Duration.ofMillis(Long.parseLong(given.getOrDefault("latency-ms", "100"))),
                    Integer.parseInt(given.getOrDefault("per-device-sample", "300")),
                    given.getOrDefault("heap", "256m"), Integer.parseInt(given.getOrDefault("concurrency", "8")),
                    Boolean.parseBoolean(given.getOrDefault("profile", "false")));
        }
    }

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Files.createDirectories(options.work());
        int small = Math.max(1000, options.devices() / 10);
        Path file = write(options.work().resolve("devices-" + options.devices() + ".csv"), options.devices());
        Path smallFile = write(options.work().resolve("devices-" + small + ".csv"), small);

        System.out.println("Parse + validate + transform, one thread ...");
        ParseThroughput.Figures parse = ParseThroughput.measure(file, 5);
        System.out.println("Bare batched client ...");
        BareClients.Figures batched = bare(options, clients -> clients.batched(file));
        System.out.println("One call per device, " + options.perDeviceSample() + " devices ...");
        BareClients.Figures perDevice = bare(options, clients -> clients.perDevice(file, options.perDeviceSample()));
        System.out.println("The service, " + small + " devices ...");
        ServiceRun.Figures serviceSmall = service(options, smallFile, small);
        System.out.println("The service, " + options.devices() + " devices ...");
        ServiceRun.Figures service = service(options, file, options.devices());

        String report = report(options, parse, batched, perDevice, service, serviceSmall);
        System.out.println(report);
        Files.writeString(options.work().resolve("results.md"), report);
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

    private static ServiceRun.Figures service(Options options, Path file, int devices) throws IOException, InterruptedException {
        String secret = "bench-" + UUID.randomUUID();
        try (GraphStandIn graph = standIn(options, secret)) {
            return ServiceRun.run(options, file, devices, graph, graph.arguments());
        }
    }

    private static GraphStandIn standIn(Options options, String secret) {
        GraphStandIn graph = new GraphStandIn(secret);
        graph.latency(options.latency());
        graph.settleAtOnce();
        return graph;
    }

    /** Realistic rows: about 4,000-character hashes, a product key column, one hash in 100 missing its padding. */
    private static Path write(Path file, int devices) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Random random = new Random(devices);
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            out.write("Device Serial Number,Windows Product ID,Hardware Hash\r\n");
            for (int i = 1; i <= devices; i++) {
                String hash = i % 100 == 0 ? HashFiles.unpaddedHash(random) : HashFiles.hash(random);
                out.write(String.format("PF%08d,,%s\r\n", i, hash));
            }
        }
        return Files.move(partial, file);
    }

    private static String report(Options o, ParseThroughput.Figures parse, BareClients.Figures batched,
                                 BareClients.Figures perDevice, ServiceRun.Figures service, ServiceRun.Figures small) {
        double perDeviceSeconds = perDevice.elapsed().toNanos() / 1e9 / perDevice.devices();
        double perDeviceTotal = perDeviceSeconds * o.devices();
        double serviceSeconds = seconds(service.toResults());
        double batchedSeconds = seconds(batched.elapsed());
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### Benchmark, %s: %d devices, Graph latency %d ms, graph-concurrency %d, -Xmx%s%n%n",
                LocalDate.now(), o.devices(), o.latency().toMillis(), o.concurrency(), o.heap()));
        md.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version")));
        md.append("| Measure | Figure | Target | Met |\n|---|---|---|---|\n");
        row(md, "Parse + validate + transform, one thread", String.format(Locale.ROOT, "%,.0f rows/s (median %,.0f; %,d rows, %,d rejected)",
                parse.bestRowsPerSecond(), parse.medianRowsPerSecond(), parse.rows(), parse.rejected()),
                "≥ 50,000 rows/s", parse.medianRowsPerSecond() >= 50_000);
        row(md, "Service, drop to results file (every device final)", String.format(Locale.ROOT, "%.1f s (%,.0f devices/s, %,d imported)",
                serviceSeconds, service.devicesPerSecond(), service.imported()),
                "faster than the bare batched client", serviceSeconds < batchedSeconds);
        row(md, "Bare batched client (500 per import call, serial)", String.format(Locale.ROOT, "%.1f s (%,d calls); service is %.2fx its speed",
                batchedSeconds, batched.calls(), batchedSeconds / serviceSeconds), "the floor", null);
        row(md, "One create call per device", String.format(Locale.ROOT, "%.0f ms per device (%d measured), %,.0f s for %,d devices; service is %,.0fx faster",
                perDeviceSeconds * 1000, perDevice.devices(), perDeviceTotal, o.devices(), perDeviceTotal / serviceSeconds),
                "service ≥ 100x faster", perDeviceTotal / serviceSeconds >= 100);
        row(md, "Service, drop to staging records deleted", String.format(Locale.ROOT, "%.1f s", seconds(service.toCleanedUp())), "", null);
        row(md, String.format(Locale.ROOT, "Peak heap / RSS, %,d devices", service.devices()), memory(service),
                "completes at -Xmx" + o.heap(), service.imported() == service.devices());
        row(md, String.format(Locale.ROOT, "Peak heap / RSS, %,d devices", small.devices()), memory(small),
                "flat in file size", service.peakHeapBytes() < 2 * Math.max(small.peakHeapBytes(), 64L << 20));
        row(md, "Graph requests per 1,000 devices", String.format(Locale.ROOT,
                "writes: %.1f import + %.1f create + %.1f $batch delete (20 each); status reads: %.1f list pages; %d token request(s) in all",
                service.perThousand(service.importCalls()), service.perThousand(service.createCalls()),
                service.perThousand(service.batchCalls()), service.perThousand(service.listPages()), service.tokenRequests()), "", null);
        return md.toString();
    }

    private static void row(StringBuilder md, String measure, String figure, String target, Boolean met) {
        md.append("| ").append(measure).append(" | ").append(figure).append(" | ").append(target).append(" | ")
                .append(met == null ? "" : met ? "yes" : "**no**").append(" |\n");
    }

    private static String memory(ServiceRun.Figures f) {
        return String.format(Locale.ROOT, "%d MB heap / %d MB RSS", f.peakHeapBytes() >> 20, f.peakRssBytes() >> 20);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
