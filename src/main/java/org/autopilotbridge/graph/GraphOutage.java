package org.autopilotbridge.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.autopilotbridge.config.RetryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A passing Graph problem that outlasted a call's retries: Graph or its token endpoint does not answer, throttles,
 * fails with a 5xx, or refuses this app's access (a secret that expired, consent or a permission withdrawn). None of
 * these says anything about the devices, so none may end one: while the circuit is open every call that meets it
 * waits and tries again, at most {@link #PROBE_CAP} apart, until one gets through. It is said once when it opens and
 * once when it closes, and health is DOWN meanwhile. One per tenant ({@link TenantGraphs}): one tenant's outage, or
 * its consent withdrawn, holds only that tenant's work.
 */
public class GraphOutage {

    private static final Logger LOG = LoggerFactory.getLogger(GraphOutage.class);

    /** The longest pause between two tries during an outage, so that work resumes soon after Graph is back. */
    static final Duration PROBE_CAP = Duration.ofMinutes(1);

    /** Since when, and why, Graph cannot be used. */
    public record Open(Instant since, String reason) {
    }

    private final RetryPolicy retry;
    private final Duration longestPause;
    /** How the log names the tenant: empty for the one tenant of a single-tenant service. */
    private final String where;
    private final AtomicInteger failedTries = new AtomicInteger();
    private volatile Open open;
    /** Nanoseconds the circuit was open before the current opening, for the stages that measure time within it. */
    private long closedDownNanos;
    private long openedAtNanos;

    GraphOutage(RetryPolicy retry, RetryProperties properties, String where) {
        this.retry = retry;
        this.where = where;
        Duration maxWait = properties.getMaxWait();
        this.longestPause = maxWait.compareTo(PROBE_CAP) < 0 ? maxWait : PROBE_CAP;
    }

    /**
     * Whether {@code failure} says nothing about the request's content: no answer, a timeout, throttling, a 5xx, or
     * access refused to this app (401, 403, or no token at all). Such a failure waits; only another ends a device.
     */
    public static boolean passing(GraphException failure) {
        int status = failure.status();
        return failure instanceof TokenException || status == 0 || status == 401 || status == 403 || status == 408
                || status == 429 || status >= 500;
    }

    /**
     * A call's passing failure outlasted its retries: the circuit opens (said once, and again when the reason
     * changes). Returns how long the caller waits before it tries again.
     */
    public synchronized Duration failing(GraphException failure) {
        String reason = failure.reason();
        Open was = open;
        if (was == null) {
            openedAtNanos = System.nanoTime();
            open = new Open(Instant.now(), reason);
            LOG.warn("Graph cannot be used{}: {} Nothing is failed for it: the work waits and is tried again until Graph "
                    + "answers (health is DOWN meanwhile).", where, sentence(reason));
        } else if (!was.reason().equals(reason)) {
            open = new Open(was.since(), reason);
            LOG.warn("Graph still cannot be used{}, now: {}", where, reason);
        }
        Duration pause = retry.backoff(failedTries.incrementAndGet());
        return pause.compareTo(longestPause) > 0 ? longestPause : pause;
    }

    /**
     * For a stage that must try again itself (a write that failed, adopted before it is sent again): the circuit opens
     * as for any call, and the caller waits a backoff of its own, growing with its {@code tries}, so that one batch
     * Graph keeps failing is tried less and less often whatever other calls do. Throws {@link StoppingException}
     * when the service begins to stop meanwhile.
     */
    public void waitOut(GraphException failure, int tries) {
        failing(failure);
        Duration pause = retry.backoff(tries);
        retry.pause(pause.compareTo(longestPause) > 0 ? longestPause : pause);
    }

    /** The reason as a sentence of its own: Graph's messages end with a full stop, ours do not. */
    private static String sentence(String reason) {
        return reason.endsWith(".") ? reason : reason + ".";
    }

    /** A call got through: an open circuit closes, said once. */
    void working() {
        if (open == null) {
            // The common case, without a lock: no outage to close.
            return;
        }
        synchronized (this) {
            if (open == null) {
                return;
            }
            long down = System.nanoTime() - openedAtNanos;
            closedDownNanos += down;
            open = null;
            failedTries.set(0);
            LOG.info("Graph answers again{} after {} s of outage; the work that waited goes on", where,
                    Duration.ofNanos(down).toSeconds());
        }
    }

    /** The outage under way, if any. */
    public Optional<Open> open() {
        return Optional.ofNullable(open);
    }

    /**
     * How long Graph has been unusable since the service started, the outage under way included: a stage that
     * follows work over time subtracts it, so that an outage never uses up the time it allows Graph.
     */
    public synchronized Duration downTime() {
        long now = open == null ? 0 : System.nanoTime() - openedAtNanos;
        return Duration.ofNanos(closedDownNanos + now);
    }
}
