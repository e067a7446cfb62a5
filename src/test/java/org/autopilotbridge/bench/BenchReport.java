package org.autopilotbridge.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/** The benchmark's figures as Markdown tables, each against its target where it has one. */
final class BenchReport {

    private final StringBuilder md = new StringBuilder();

    private BenchReport() {
    }

    static String markdown(Benchmark.Options o, Benchmark.Results r) {
        BenchReport report = new BenchReport();
        report.header(o, r);
        report.reading(r);
        if (r.plain() != null) {
            report.plain(o, r);
        }
        if (r.warm() != null) {
            report.warm(r);
        }
        if (r.budget() != null) {
            report.budget(r);
        }
        if (!r.cluster().isEmpty()) {
            report.cluster(r);
        }
        if (r.profiles() != null) {
            report.profiles(r.profiles());
        }
        return report.md.toString();
    }

    private void profiles(ProfileCost.Figures p) {
        line("| Deployment profiles followed, %,d devices (autopilot.profile-wait %ss, poll-interval %ss) | Figure |%n|---|---|",
                p.devices(), ProfileCost.WAIT.toSeconds(), ProfileCost.POLL.toSeconds());
        line("| Graph requests per 1,000 followed devices (a third assigned after 3 s, a third failed, a third never) | %s |",
                String.format(Locale.ROOT, "%,.0f (%,d reads in %,d $batch calls)", p.requestsPerThousand(), p.reads(), p.batchCalls()));
        line("| Drop to results | %s |%n", String.format(Locale.ROOT, "%.1f s", p.toResults().toMillis() / 1000.0));
    }

    private void header(Benchmark.Options o, Benchmark.Results r) {
        line("### Benchmark, %s: %,d and %,d devices, Graph latency %d ms, graph-concurrency %d, -Xmx%s%n", LocalDate.now(),
                o.small(), o.devices(), o.latency().toMillis(), o.concurrency(), o.heap());
        line("Machine: %d cores, %s %s, Java %s. Each step with the machine's load average (1, 5, 15 min) as it started:%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"));
        r.load().forEach(step -> line("    %s", step));
        line("");
    }

    private void reading(Benchmark.Results r) {
        ParseThroughput.Figures p = r.parse();
        line("| Reading, one thread, %,d lines | Figure | Target | Met |%n|---|---|---|---|", p.rows());
        row("Parse + validate + transform to import JSON", String.format(Locale.ROOT, "%,.0f lines/s (median %,.0f; %,d rejected)",
                p.transform().best(), p.transform().median(), p.rejected()), "", null);
        row(String.format(Locale.ROOT, "Parse + validate + record into the ledger (H2, a chunk of %,d lines a transaction)",
                        ParseThroughput.CHUNK),
                String.format(Locale.ROOT, "%,.0f lines/s (median %,.0f)", p.record().best(), p.record().median()),
                "≥ 100,000 lines/s", p.record().median() >= 100_000);
        row("Parse + validate + store the hashes alone (the hash spool, forced to disk a chunk at a time; no database)",
                String.format(Locale.ROOT, "%,.0f lines/s (median %,.0f)", p.spool().best(), p.spool().median()), "", null);
        if (r.plain() != null) {
            ServiceRun.Timeline t = r.plain().timeline();
            row("The same inside the service, while it sends (its log: reading to recorded)", String.format(Locale.ROOT,
                    "%,.0f lines/s", t.recordedPerSecond()), "≥ 50,000 lines/s", t.recordedPerSecond() >= 50_000);
        }
        line("");
    }

    private void plain(Benchmark.Options o, Benchmark.Results r) {
        ServiceRun.Figures small = r.plainSmall();
        ServiceRun.Figures big = r.plain();
        line("Without a budget (the stand-in does not throttle; the service's budget is lifted):%n");
        line("| Measure | %,d devices | %,d devices | Target | Met |%n|---|---|---|---|---|", small.devices(), big.devices());
        both("Drop to results file (every device final)", small, big,
                f -> String.format(Locale.ROOT, "%.1f s (%,d imported)", seconds(f.toResults()), f.imported()), "", null);
        cells("Serial bare client: 500 per import call / then every state read once",
                bare(r.bareSmall()), bare(r.bare()), "", "");
        cells("Service against the serial bare client (sending and reading states)",
                ratio(small.toResults(), r.bareSmall().elapsed()), ratio(big.toResults(), r.bare().elapsed()), "≤ 0.5x",
                met(small, seconds(small.toResults()) <= 0.5 * seconds(r.bareSmall().elapsed()),
                        big, seconds(big.toResults()) <= 0.5 * seconds(r.bare().elapsed())));
        cells("Service against the bare client's sending alone",
                ratio(small.toResults(), r.bareSmall().sent()), ratio(big.toResults(), r.bare().sent()), "", "");
        both("Where the time goes (service log, from the drop): reading starts / all lines recorded / last import "
                + "answered / last batch final / results", small, big, BenchReport::timeline, "", null);
        both("Processor time from the drop to the results: service / stand-in (the bench JVM)", small, big,
                f -> String.format(Locale.ROOT, "%.1f s / %.1f s", seconds(f.serviceCpu()), seconds(f.standInCpu())),
                "service ≤ 10 s per 100,000 devices", f -> seconds(f.serviceCpu()) <= 10.0 * f.devices() / 100_000);
        both("GC pauses from the drop to the results: young / full", small, big, f -> pauses(f.gcPauses()), "≤ 2 s in all",
                f -> f.gcPauses().total().compareTo(Duration.ofSeconds(2)) <= 0);
        both("Drop to last staged record deleted", small, big, f -> String.format(Locale.ROOT, "%.1f s", seconds(f.toCleanedUp())), "", null);
        memory(small, big);
        calls(small, big);
        ReadinessProbe.Figures probe = small.readiness();
        cells("Readiness probe during a token endpoint outage (tokens expired, 3 token requests answered 503, every "
                + "200 ms): slowest answer while DOWN", String.format(Locale.ROOT, "%d ms (%d of %d probes DOWN)",
                probe.slowestDown().toMillis(), probe.down(), probe.probes()), "", "≤ 1 s",
                probe.down() > 0 && probe.slowestDown().compareTo(Duration.ofSeconds(1)) <= 0 ? "yes" : "**no**");
        double perDeviceSeconds = seconds(r.perDevice().elapsed()) / r.perDevice().devices();
        double perDeviceTotal = perDeviceSeconds * o.devices();
        row(String.format(Locale.ROOT, "One create call per device (%d measured, extrapolated to %,d)", r.perDevice().devices(),
                o.devices()), String.format(Locale.ROOT, "%.0f ms a device, %,.0f s; the service is %,.0fx faster",
                perDeviceSeconds * 1000, perDeviceTotal, perDeviceTotal / seconds(big.toResults())), "service ≥ 100x faster",
                perDeviceTotal / seconds(big.toResults()) >= 100);
        line("");
    }

    private void warm(Benchmark.Results r) {
        ServiceRun.Warm w = r.warm();
        ServiceRun.Timeline t = w.timeline();
        line("The same %,d devices dropped into a service that has finished a file of %,d (its code compiled by the JIT):%n",
                w.devices(), w.warmUpDevices());
        line("| Measure | Figure | Target | Met |%n|---|---|---|---|");
        row("Drop to results file", String.format(Locale.ROOT, "%.1f s (%,d imported)", seconds(w.toResults()), w.imported()),
                "", null);
        row("Service against the serial bare client", ratio(w.toResults(), r.bare().elapsed()), "≤ 0.5x",
                seconds(w.toResults()) <= 0.5 * seconds(r.bare().elapsed()));
        row("Reading starts / all lines recorded / last import answered / last batch final", String.format(Locale.ROOT,
                "%.1f / %.1f / %.1f / %.1f s", seconds(t.readingStarts()), seconds(t.recorded()),
                seconds(t.lastImportAnswered()), seconds(t.lastBatchFinal())), "", null);
        row("Reading inside the service, while it sends", String.format(Locale.ROOT, "%,.0f lines/s", t.recordedPerSecond()),
                "≥ 50,000 lines/s", t.recordedPerSecond() >= 50_000);
        row("Processor time from the drop to the results", String.format(Locale.ROOT, "%.1f s", seconds(w.serviceCpu())),
                "≤ 10 s per 100,000 devices", seconds(w.serviceCpu()) <= 10.0 * w.devices() / 100_000);
        row("GC pauses from the drop to the results: young / full", pauses(w.gcPauses()), "≤ 2 s in all",
                w.gcPauses().total().compareTo(Duration.ofSeconds(2)) <= 0);
        line("");
    }

    private static String pauses(GcPauses p) {
        return String.format(Locale.ROOT, "%d (%.1f s) / %d (%.1f s)", p.young(), seconds(p.youngTotal()), p.full(),
                seconds(p.fullTotal()));
    }

    private void budget(Benchmark.Results r) {
        ServiceRun.Figures small = r.budgetSmall();
        ServiceRun.Figures big = r.budget();
        line("Under Intune's budget (the stand-in enforces %d writes and %,d requests per 20 s and answers 429 without "
                + "Retry-After; the service at its defaults):%n", ServiceRun.WRITES_PER_20S, ServiceRun.REQUESTS_PER_20S);
        line("| Measure | %,d devices | %,d devices | Target | Met |%n|---|---|---|---|---|", small.devices(), big.devices());
        both("Drop to results file (every device final)", small, big,
                f -> String.format(Locale.ROOT, "%.1f s (%,d imported)", seconds(f.toResults()), f.imported()), "", null);
        both("Budget floor to the results: (import + create calls) / 100 x 20 s", small, big,
                f -> String.format(Locale.ROOT, "%.1f s (%d writes)", seconds(f.resultsFloor()),
                        f.graph().importCalls() + f.graph().createCalls()), "", null);
        both("Results against their floor", small, big, f -> ratio(f.toResults(), f.resultsFloor()), "≤ 1.1x",
                f -> seconds(f.toResults()) <= 1.1 * seconds(f.resultsFloor()));
        if (r.plain() != null) {
            cells("Results against the same run without a budget (where the budget does not bind, reading does)",
                    ratio(small.toResults(), r.plainSmall().toResults()), ratio(big.toResults(), r.plain().toResults()), "", "");
        }
        both("Drop to last staged record deleted", small, big, f -> String.format(Locale.ROOT, "%.0f s (%.1f h) %s",
                seconds(f.toCleanedUp()), seconds(f.toCleanedUp()) / 3600, f.cleanupMeasured() ? "measured"
                        : String.format(Locale.ROOT, "extrapolated from %,d deletes in %.0f s", f.deletedWatched(),
                        seconds(f.cleanupWatched()))), "", null);
        both("Budget floor to the last delete: (imports + creates + syncs + one delete a staged record) / 100 x 20 s",
                small, big, f -> String.format(Locale.ROOT, "%.0f s (%,d writes, %,d of them deletes)",
                        seconds(f.cleanupFloor()), f.graph().writesNeeded(f.staged()), f.staged()), "", null);
        both("Last delete against its floor", small, big, f -> ratio(f.toCleanedUp(), f.cleanupFloor()), "≤ 1.1x",
                f -> seconds(f.toCleanedUp()) <= 1.1 * seconds(f.cleanupFloor()));
        both("Clean-up rate (the budget allows 5 writes/s)", small, big,
                f -> String.format(Locale.ROOT, "%.2f deletes/s", f.deletesPerSecond()), "", null);
        both("Requests answered 429 (stand-in's overBudget) of all Graph requests, $batch items counted", small, big,
                f -> String.format(Locale.ROOT, "%,d of %,d (%.2f%%)", f.graph().throttled(), f.graph().requests(),
                        100.0 * f.graph().throttled() / f.graph().requests()), "< 1 in 100",
                f -> f.graph().throttled() * 100 < f.graph().requests());
        both("Where the time goes (service log, from the drop): reading starts / all lines recorded / last import "
                + "answered / last batch final / results", small, big, BenchReport::timeline, "", null);
        memory(small, big);
        calls(small, big);
        line("");
    }

    private void memory(ServiceRun.Figures small, ServiceRun.Figures big) {
        both("Peak heap / peak RSS (VmHWM)", small, big, f -> String.format(Locale.ROOT, "%d MB / %d MB",
                f.peakHeapBytes() >> 20, f.peakRssBytes() >> 20), "RSS ≤ 400 MB", f -> f.peakRssBytes() <= 400L << 20);
    }

    private void calls(ServiceRun.Figures small, ServiceRun.Figures big) {
        both("Graph calls per 1,000 devices", small, big, f -> String.format(Locale.ROOT,
                "%.1f import, %.1f create, %.1f list pages, %.1f $batch (%.1f reads and %.1f deletes in them), %.2f sync; "
                        + "%d token(s) in all%s", f.perThousand(f.graph().importCalls()), f.perThousand(f.graph().createCalls()),
                f.perThousand(f.graph().listPages()), f.perThousand(f.graph().batchCalls()),
                f.perThousand(f.graph().recordReads()), f.perThousand(f.graph().recordsDeleted()),
                f.perThousand(f.graph().syncCalls()), f.graph().tokenRequests(),
                f.cleanupMeasured() ? "" : "; clean-up only as far as it was watched"), "", null);
    }

    private static String timeline(ServiceRun.Figures f) {
        ServiceRun.Timeline t = f.timeline();
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f / %.1f s", seconds(t.readingStarts()),
                seconds(t.recorded()), seconds(t.lastImportAnswered()), seconds(t.lastBatchFinal()), seconds(f.toResults()));
    }

    private static String bare(BareClients.Figures f) {
        return String.format(Locale.ROOT, "%.1f s / %.1f s (%d import calls, %d list pages)", seconds(f.sent()),
                seconds(f.elapsed()), f.calls(), f.pages());
    }

    private void cluster(Benchmark.Results r) {
        line("Several instances on one PostgreSQL ledger, %d files dropped at once, from the drop to the last results file:%n",
                ClusterRun.FILES);
        line("| Instances | Budget | Devices | Drop to results | Devices/s | Import calls by instance | 429s |%n"
                + "|---|---|---|---|---|---|---|");
        for (ClusterRun.Figures f : r.cluster()) {
            line("| %d | %s | %,d | %.1f s | %,.0f | %s | %d |", f.instances(), f.budget() ? "Intune's" : "none", f.devices(),
                    seconds(f.toResults()), f.devicesPerSecond(), f.importsPerInstance(), f.throttled());
        }
        line("");
    }

    private static String ratio(Duration measured, Duration against) {
        return String.format(Locale.ROOT, "%.2fx", seconds(measured) / seconds(against));
    }

    private void both(String measure, ServiceRun.Figures small, ServiceRun.Figures big, Function<ServiceRun.Figures, String> figure,
                      String target, Predicate<ServiceRun.Figures> met) {
        cells(measure, figure.apply(small), figure.apply(big), target,
                met == null ? "" : met(small, met.test(small), big, met.test(big)));
    }

    private void cells(String measure, String small, String big, String target, String met) {
        line("| %s | %s | %s | %s | %s |", measure, small, big, target, met);
    }

    private static String met(ServiceRun.Figures small, boolean smallMet, ServiceRun.Figures big, boolean bigMet) {
        if (smallMet == bigMet) {
            return smallMet ? "yes" : "**no**";
        }
        return String.format(Locale.ROOT, "**at %,d devices only**", (smallMet ? small : big).devices());
    }

    private void row(String measure, String figure, String target, Boolean met) {
        line("| %s | %s | %s | %s |", measure, figure, target, met == null ? "" : met ? "yes" : "**no**");
    }

    private void line(String format, Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
