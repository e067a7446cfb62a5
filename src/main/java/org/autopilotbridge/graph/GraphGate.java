package org.autopilotbridge.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;

import org.autopilotbridge.AutopilotProperties;
import org.springframework.stereotype.Component;

/**
 * What a Graph call must pass before it goes out: one of {@code autopilot.graph-concurrency} lanes, and the
 * tenant-wide hold a 429 sets. Graph throttles per app and tenant, so a Retry-After holds back every call of this
 * service, not only the one that received it.
 */
@Component
class GraphGate {

    private final Semaphore lanes;
    private volatile Instant holdUntil = Instant.MIN;

    GraphGate(AutopilotProperties properties) {
        this.lanes = new Semaphore(properties.getGraphConcurrency(), true);
    }

    /** A lane taken for one call; closing it gives the lane to the next call. */
    interface Lane extends AutoCloseable {
        /** How long the call waited for the tenant-wide hold to pass. */
        Duration held();

        @Override
        void close();
    }

    /**
     * Waits for a free lane, then for the hold to pass: a Retry-After that arrived while this call queued holds it
     * too.
     */
    Lane enter() {
        lanes.acquireUninterruptibly();
        Duration held = awaitClearance();
        return new Lane() {
            @Override
            public Duration held() {
                return held;
            }

            @Override
            public void close() {
                lanes.release();
            }
        };
    }

    /** Holds back every call until {@code retryAfter} has passed; a longer hold already set stands. */
    void holdAll(Duration retryAfter) {
        Instant until = Instant.now().plus(retryAfter);
        synchronized (this) {
            if (until.isAfter(holdUntil)) {
                holdUntil = until;
            }
        }
    }

    private Duration awaitClearance() {
        Duration wait = Duration.between(Instant.now(), holdUntil);
        if (wait.isNegative() || wait.isZero()) {
            return Duration.ZERO;
        }
        RetryPolicy.sleep(wait);
        return wait;
    }
}
