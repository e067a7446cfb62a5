package org.autopilotbridge.graph;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectReader;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.autopilotbridge.ops.ServiceEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Graph request until it succeeds or may not be tried again: a bearer token (a new one once on 401), a lane and
 * the tenant-wide hold from {@link GraphGate}, retries as {@link RetryPolicy} decides, and a {@code client-request-id}
 * on every request that every failure carries with Graph's {@code request-id}. A write whose outcome cannot be known
 * is reported as such instead of being repeated.
 */
class GraphCalls {

    private static final Logger LOG = LoggerFactory.getLogger(GraphCalls.class);

    private final AccessTokenProvider tokens;
    private final GraphHttp http;
    private final RetryPolicy retry;
    private final GraphGate gate;
    private final ServiceEvents events;
    private final GraphOutage outage;
    /** 429s without a success in between: the backoff for a 429 without Retry-After grows with them. */
    private final AtomicInteger throttledInARow = new AtomicInteger();

    GraphCalls(AccessTokenProvider tokens, GraphHttp http, RetryPolicy retry, GraphGate gate, ServiceEvents events,
               GraphOutage outage) {
        this.outage = outage;
        this.tokens = tokens;
        this.http = http;
        this.retry = retry;
        this.gate = gate;
        this.events = events;
    }

    /** How a call may be repeated when it fails. */
    enum Kind {
        /** Safe to repeat whatever happened: reads and deletes. */
        IDEMPOTENT,
        /** Repeated only when Graph surely did not act on it: 429, 503, or never sent. */
        WRITE,
        /** Not repeated: the caller decides when to try again (the Autopilot sync). */
        ONCE
    }

    /** Sends the request (made anew for each attempt) until it succeeds; its answer's body is read with {@code reader}. */
    <T> GraphHttp.Response<T> send(Supplier<HttpUriRequestBase> request, Kind kind, GraphGate.Cost cost,
                                   ObjectReader reader) throws GraphException {
        return send(request, kind, cost, reader, retry.start());
    }

    /** As above, within {@code attempts}: waits count towards the operation the call belongs to. */
    <T> GraphHttp.Response<T> send(Supplier<HttpUriRequestBase> request, Kind kind, GraphGate.Cost cost,
                                   ObjectReader reader, RetryPolicy.Attempts attempts) throws GraphException {
        boolean tokenRenewed = false;
        while (true) {
            String token;
            try {
                token = tokens.token();
            } catch (TokenException e) {
                // The token endpoint's own retries are spent: an outage unless the caller asked for one try only.
                if (kind == Kind.ONCE) {
                    throw e;
                }
                Duration pause = outage.failing(e);
                if (kind == Kind.WRITE) {
                    // A write goes back to its stage, which checks its lease before it sends again.
                    throw e;
                }
                retry.pause(pause);
                continue;
            }
            HttpUriRequestBase call = request.get();
            String clientRequestId = UUID.randomUUID().toString();
            call.setHeader("Authorization", "Bearer " + token);
            call.setHeader("Accept", "application/json");
            call.setHeader("client-request-id", clientRequestId);
            call.setHeader("return-client-request-id", "true");
            GraphHttp.Response<T> response;
            GraphException failure;
            Duration retryAfter = null;
            try {
                events.graphCall();
                try (GraphGate.Lane lane = gate.enter(cost)) {
                    attempts.heldFor(lane.held());
                    response = http.execute(call, reader);
                    retryAfter = retry.serverWait(response.retryAfter());
                    if (response.status() == 429 && kind != Kind.ONCE) {
                        // Before the lane is given up, so no other lane slips a call out in between. (The sync's
                        // 429 is its own ten-minute rule, not throttling: it holds back nothing else.)
                        retryAfter = throttled(retryAfter);
                    } else if (response.ok() && cost.requests() == 1) {
                        // A $batch's items each answer for themselves (see JsonBatch).
                        notThrottled();
                    }
                }
                if (response.ok() && response.unreadable() == null) {
                    outage.working();
                    return response;
                }
                if (response.ok()) {
                    throw reported(call, new GraphException(response.status(), "UnreadableAnswer",
                            "Graph answered with " + response.unreadable(), response.requestId(), clientRequestId, false));
                }
                if (response.status() == 401 && !tokenRenewed) {
                    tokens.invalidate(token);
                    tokenRenewed = true;
                    continue;
                }
                // A write that failed with a 5xx other than 503 may have been carried out: its caller adopts first.
                failure = failure(response, clientRequestId, kind == Kind.WRITE && response.status() >= 500
                        && response.status() != 503, retryAfter);
                if (kind == Kind.ONCE || !RetryPolicy.retryable(response.status(), kind == Kind.IDEMPOTENT)
                        && !(GraphOutage.passing(failure) && !failure.fateUnknown())) {
                    throw reported(call, failure);
                }
            } catch (IOException e) {
                boolean neverSent = e instanceof ConnectException || e instanceof ConnectTimeoutException;
                failure = new GraphException(0, e.getClass().getSimpleName(), e.getMessage(), null, clientRequestId,
                        kind == Kind.WRITE && !neverSent);
                if (kind == Kind.ONCE || failure.fateUnknown()) {
                    throw reported(call, failure);
                }
            }
            Optional<Duration> delay = attempts.next(retryAfter);
            // Each try only at DEBUG: the outage, or the stage that made the call, says once what failed.
            if (delay.isEmpty()) {
                LOG.debug("Graph {} {}: {} after {} attempts", call.getMethod(), call.getPath(), failure.describe(),
                        attempts.made());
                delay = Optional.of(outage.failing(failure));
                if (kind == Kind.WRITE) {
                    // Waited out by its stage, which adopts what arrived and checks its lease before it sends again:
                    // looping here could send a batch another instance took meanwhile.
                    throw reported(call, failure);
                }
            }
            LOG.debug("Graph {} {}: {}; attempt {} of {}, retrying in {} ms", call.getMethod(), call.getPath(),
                    failure.describe(), attempts.made() - 1, attempts.allowed(), delay.get().toMillis());
            retry.pause(delay.get());
        }
    }

    /**
     * A 429 (also one inside a $batch answer): counted, and every call held back for its Retry-After or, when Graph
     * gives none (Intune often answers {@code "RetryAfter": null}), for a backoff that grows with each 429 in a row.
     * Returns the hold, which the throttled call waits too.
     */
    Duration throttled(Duration retryAfter) {
        events.throttled();
        Duration hold = retryAfter != null ? retryAfter : retry.backoff(throttledInARow.incrementAndGet());
        gate.holdAll(hold);
        return hold;
    }

    /** A request went through without a 429: the next 429 without Retry-After starts the backoff anew. */
    void notThrottled() {
        throttledInARow.set(0);
    }

    /** A Retry-After as a wait, capped at autopilot.retry.max-wait (see {@link RetryPolicy#serverWait}). */
    Duration serverWait(String retryAfter) {
        return retry.serverWait(retryAfter);
    }

    /** Waits before the next attempt of a call, unless the service begins to stop. */
    void pause(Duration delay) {
        retry.pause(delay);
    }

    /** Waits until a call of {@code priority} could spend a write; returns how many it could ({@link GraphGate#roomForWrites}). */
    int roomForWrites(GraphGate.Priority priority) {
        return gate.roomForWrites(priority);
    }

    GraphOutage outage() {
        return outage;
    }

    RetryPolicy.Attempts attempts() {
        return retry.start();
    }

    private GraphException reported(HttpUriRequestBase call, GraphException failure) {
        events.error("Graph " + call.getMethod() + " " + call.getPath() + ": " + failure.describe());
        return failure;
    }

    private static GraphException failure(GraphHttp.Response<?> response, String clientRequestId, boolean fateUnknown,
                                          Duration retryAfter) {
        return GraphException.fromErrorBody(response.status(), response.error(), response.requestId(), clientRequestId,
                fateUnknown, retryAfter);
    }
}
