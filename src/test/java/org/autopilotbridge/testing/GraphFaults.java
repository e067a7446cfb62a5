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
 * and the sync endpoint with its one-sync-per-10-minutes rule and scripted answers. Package-private: tests set and read
 * it through {@link GraphStandIn}, which is why its fields are package-private.
 */
final class GraphFaults {

    final List<Long> overBudgetAt = Collections.synchronizedList(new ArrayList<>());
    volatile IntuneBudget budget;
    volatile boolean budgetRetryAfter = true;
    volatile long downUntil = System.nanoTime();
    volatile int downStatus = 503;
    final AtomicInteger refusedWhileDown = new AtomicInteger();
    final Deque<Scripted> syncScript = new ConcurrentLinkedDeque<>();
    final List<ImportCall> syncCalls = Collections.synchronizedList(new ArrayList<>());
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
    Answer overBudget(HttpExchange exchange, String method) {
        IntuneBudget current = budget;
        long now = System.currentTimeMillis();
        long wait = current == null ? 0 : current.admit(!method.equals("GET"), now);
        if (wait == 0) {
            return null;
        }
        overBudgetAt.add(now);
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
}
