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
    private final AtomicLong profileFiles = new AtomicLong();
    private final AtomicLong profilesNotAssigned = new AtomicLong();

    public void graphCall() {
        graphCalls.incrementAndGet();
    }

    public void throttled() {
        throttledCalls.incrementAndGet();
    }

    public void error(String message) {
        lastError.set(new LastError(Instant.now(), message));
    }

    /** A file whose devices were followed for their deployment profile finished, {@code notAssigned} of them without. */
    public void profilesFollowed(int notAssigned) {
        profileFiles.incrementAndGet();
        profilesNotAssigned.addAndGet(notAssigned);
    }

    public long profileFiles() {
        return profileFiles.get();
    }

    public long profilesNotAssigned() {
        return profilesNotAssigned.get();
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
