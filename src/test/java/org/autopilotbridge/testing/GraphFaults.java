package org.autopilotbridge.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import org.autopilotbridge.testing.GraphAnswers.Answer;
import org.autopilotbridge.testing.GraphAnswers.Scripted;
import org.autopilotbridge.testing.GraphStandIn.ImportCall;

/**
 * The stand-in's throttling and outages: Intune's budget when a test enforces one, a whole outage ({@code downFor}),
 * and the sync endpoint with its one-sync-per-10-minutes rule and scripted answers. Tests reach it through
 * {@link GraphStandIn#faults()}.
 */
public final class GraphFaults {

    private final AtomicInteger overBudget = new AtomicInteger();
    private volatile IntuneBudget budget;
    private volatile boolean budgetRetryAfter = true;
    private volatile long downUntil = System.nanoTime();
    private volatile int downStatus = 503;
    private final AtomicInteger refusedWhileDown = new AtomicInteger();
    private final Deque<Scripted> syncScript = new ConcurrentLinkedDeque<>();
    private final List<ImportCall> syncCalls = Collections.synchronizedList(new ArrayList<>());
    private volatile Instant lastSync = Instant.MIN;

    /** The outage's answer while {@code downFor} holds, else null. */
    Answer down(HttpExchange exchange) {
        if (downUntil - System.nanoTime() > 0) {
            refusedWhileDown.incrementAndGet();
            return GraphAnswers.error(exchange, downStatus, "ServiceUnavailable", "The service is temporarily unavailable.");
        }
        return null;
    }

    /** Null if the request is within the budget (and now counted), else the 429 Intune answers. */
    Answer throttle(HttpExchange exchange, String method) {
        IntuneBudget current = budget;
        long now = System.currentTimeMillis();
        long wait = current == null ? 0 : current.admit(!method.equals("GET"), now);
        if (wait == 0) {
            return null;
        }
        overBudget.incrementAndGet();
        Answer error = GraphAnswers.error(exchange, 429, "TooManyRequests", "Too many requests: the application exceeded its "
                + "Intune throttling limit for this tenant.");
        ((ObjectNode) error.body().path("error")).putNull("RetryAfter");
        return budgetRetryAfter ? new Answer(429, error.body(), Map.of("Retry-After", String.valueOf(wait))) : error;
    }

    Answer sync(HttpExchange exchange) {
        long at = System.currentTimeMillis();
        Scripted scripted = syncScript.poll();
        int status = scripted != null ? scripted.status()
                : Instant.now().isBefore(lastSync.plus(Duration.ofMinutes(10))) ? 429 : 204;
        syncCalls.add(new ImportCall(List.of(), status, at));
        if (status == 204) {
            lastSync = Instant.now();
            return new Answer(204, null);
        }
        long retryAfter = scripted != null ? scripted.retryAfter()
                : Duration.between(Instant.now(), lastSync.plus(Duration.ofMinutes(10))).toSeconds();
        Answer error = GraphAnswers.error(exchange, status, status == 409 ? "Conflict" : "TooManyRequests",
                status == 409 ? "A sync is already in progress." : "Sync can only be requested every 10 minutes.");
        return new Answer(status, error.body(), Map.of("Retry-After", String.valueOf(retryAfter)));
    }

    /**
     * Throttles as Intune does: at most {@code writes} writes and {@code requests} requests per 20 seconds, every
     * request inside a $batch counting on its own; over it, 429 with Retry-After, or, when {@code retryAfter} is
     * false, without one and with {@code "RetryAfter": null} in the body, as Intune often answers.
     */
    public void enforceBudget(int writes, int requests, boolean retryAfter) {
        budget = new IntuneBudget(writes, requests);
        budgetRetryAfter = retryAfter;
    }

    /** Whether a test or the command line set a budget ({@link #enforceBudget}). */
    boolean budgetEnforced() {
        return budget != null;
    }

    /** Requests answered 429 because they were over the budget (calls of their own and requests inside $batch calls). */
    public int overBudget() { return overBudget.get(); }

    /**
     * Graph and its token endpoint are down for {@code period} from now: every request is answered {@code status}
     * (503 as a front door says it, 502 as a broken gateway), and nothing is carried out.
     */
    public void downFor(Duration period, int status) {
        downStatus = status;
        downUntil = System.nanoTime() + period.toNanos();
    }

    /** Requests answered with the outage's status while {@link #downFor} held. */
    public int refusedWhileDown() { return refusedWhileDown.get(); }

    /** The next sync requests are answered with these statuses, each with Retry-After: 1. */
    public void answerNextSyncs(int... statuses) {
        for (int status : statuses) {
            syncScript.add(new Scripted(status, 1, false));
        }
    }

    public List<ImportCall> syncCalls() {
        synchronized (syncCalls) {
            return List.copyOf(syncCalls);
        }
    }
}
