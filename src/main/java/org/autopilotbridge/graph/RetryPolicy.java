package org.autopilotbridge.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.hc.client5.http.utils.DateUtils;
import org.autopilotbridge.AutopilotProperties;
import org.springframework.stereotype.Component;

/**
 * When a throttled or failed call may be tried again: exactly when Graph's Retry-After says (seconds or an HTTP
 * date), else after exponential backoff with jitter; at most {@code autopilot.retry.max-attempts} attempts and
 * {@code autopilot.retry.max-wait} of waiting per call. Graph throttles per app and tenant, so a Retry-After
 * holds back every call of this service, not only the one that received it.
 */
@Component
class RetryPolicy {

    private final AutopilotProperties.Retry settings;
    private volatile Instant holdUntil = Instant.MIN;

    RetryPolicy(AutopilotProperties properties) {
        this.settings = properties.getRetry();
    }

    int maxAttempts() {
        return settings.getMaxAttempts();
    }

    /** The wait before attempt {@code attempt + 1}. */
    Duration delay(int attempt, String retryAfter) {
        Duration told = parseRetryAfter(retryAfter);
        if (told != null) {
            return told;
        }
        long base = Math.max(1, settings.getInitialBackoff().toMillis());
        long cap = Math.min(settings.getMaxWait().toMillis(), base << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }

    /** True if a call that has already waited {@code waited} may wait {@code next} more. */
    boolean mayWait(Duration waited, Duration next) {
        return waited.plus(next).compareTo(settings.getMaxWait()) <= 0;
    }

    /** Holds back every call until Graph's Retry-After has passed. */
    void holdAll(Duration retryAfter) {
        Instant until = Instant.now().plus(retryAfter);
        synchronized (this) {
            if (until.isAfter(holdUntil)) {
                holdUntil = until;
            }
        }
    }

    /** Waits while Graph has asked this tenant's calls to hold back; returns how long that was. */
    Duration awaitClearance() {
        Duration wait = Duration.between(Instant.now(), holdUntil);
        if (wait.isNegative() || wait.isZero()) {
            return Duration.ZERO;
        }
        sleep(wait);
        return wait;
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        Instant at = DateUtils.parseStandardDate(v);
        if (at == null) {
            return null;
        }
        Duration until = Duration.between(Instant.now(), at);
        return until.isNegative() ? Duration.ZERO : until;
    }

    static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a Graph call", e);
        }
    }
}
