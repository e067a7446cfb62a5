package org.autopilotbridge.ops;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

/** What happened since start that the ledger does not keep: Graph traffic and the last error, for ops. */
@Component
public class ServiceEvents {

    /** An error worth an operator's eye, with when it happened. */
    public record LastError(Instant at, String message) {
    }

    private final AtomicLong graphCalls = new AtomicLong();
    private final AtomicLong throttledCalls = new AtomicLong();
    private final AtomicReference<LastError> lastError = new AtomicReference<>();

    public void graphCall() {
        graphCalls.incrementAndGet();
    }

    public void throttled() {
        throttledCalls.incrementAndGet();
    }

    public void error(String message) {
        lastError.set(new LastError(Instant.now(), message));
    }

    public long graphCalls() {
        return graphCalls.get();
    }

    public long throttledCalls() {
        return throttledCalls.get();
    }

    public LastError lastError() {
        return lastError.get();
    }
}
