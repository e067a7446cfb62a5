package org.autopilotbridge.preflight;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The preflight checks in the readiness details, one entry per check. A failed check makes the service DOWN,
 * except a vendor's, which makes it DEGRADED (the drop folder and other vendors still work). The checks call Graph
 * and the vendors' servers, so they run in the background at most once a minute (every 10 seconds while one fails,
 * though a vendor that failed is logged in to again only after minutes: {@link VendorCheck}), and only a health
 * request before the first run ends waits for it, briefly: a slow server or a token endpoint that is down never holds
 * up a probe.
 */
@Component("preflight")
class PreflightHealth implements HealthIndicator {

    static final Duration FRESH_FOR = Duration.ofMinutes(1);
    /** A failed run is checked again sooner, so that a fixed problem does not keep the service unready for long. */
    static final Duration FAILED_FRESH_FOR = Duration.ofSeconds(10);
    /**
     * A health request waits this long, only for the first run: readiness also waits for the token (GraphHealth), and
     * a probe must be answered within a second. Later requests answer from the last complete run at once.
     */
    static final Duration PATIENCE = Duration.ofMillis(300);
    private static final Status DEGRADED = new Status("DEGRADED", "a vendor's server fails its check");

    private record Run(Instant at, List<CheckResult> results) {
    }

    private final Preflight preflight;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "preflight");
        thread.setDaemon(true);
        return thread;
    });
    private Run last;
    private CompletableFuture<Run> running;

    PreflightHealth(Preflight preflight) {
        this.preflight = preflight;
    }

    /** The first run starts with the service, so that the first probes find its results. */
    @EventListener(ApplicationReadyEvent.class)
    void runFirst() {
        refresh();
    }

    @Override
    public Health health() {
        CompletableFuture<Run> pending = refresh();
        try {
            if (pending != null && latest() == null) {
                pending.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            // Reported below from the last complete run, if any.
        } catch (ExecutionException e) {
            return Health.unknown().withDetail("error", "the checks could not run: " + e.getCause()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Run run = latest();
        return run == null ? Health.unknown().withDetail("checks", "running for the first time").build() : health(run);
    }

    /** Starts a run when the last one is older than a minute and none is in progress; returns the one in progress. */
    private synchronized CompletableFuture<Run> refresh() {
        boolean stale = last == null || last.at().isBefore(Instant.now().minus(
                last.results().stream().anyMatch(CheckResult::failed) ? FAILED_FRESH_FOR : FRESH_FOR));
        if (stale && (running == null || running.isDone())) {
            running = CompletableFuture.supplyAsync(() -> new Run(Instant.now(), preflight.run()), runner)
                    .thenApply(this::keep);
        }
        return running == null || running.isDone() ? null : running;
    }

    private synchronized Run keep(Run run) {
        last = run;
        return run;
    }

    private synchronized Run latest() {
        return last;
    }

    private static Health health(Run run) {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean down = false;
        boolean degraded = false;
        for (CheckResult result : run.results()) {
            details.put(result.name(), result.status() + ": " + result.text());
            down |= result.failed() && !result.name().startsWith(VendorCheck.NAME_PREFIX);
            degraded |= result.failed();
        }
        details.put("checked", run.at().toString());
        return Health.status(down ? Status.DOWN : degraded ? DEGRADED : Status.UP).withDetails(details).build();
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
