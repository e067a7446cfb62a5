package org.autopilotbridge.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.hc.client5.http.utils.DateUtils;

/**
 * How long to wait before trying a throttled or failed call again: exactly what Graph's Retry-After says
 * (seconds or an HTTP date), else exponential backoff with jitter; never longer than {@link #MAX_WAIT}.
 */
final class RetryPolicy {

    static final int MAX_ATTEMPTS = 6;
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Duration BASE = Duration.ofSeconds(1);

    private RetryPolicy() {
    }

    static Duration delay(int attempt, String retryAfter) {
        Duration told = parseRetryAfter(retryAfter);
        if (told != null) {
            return told.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : told;
        }
        long cap = Math.min(MAX_WAIT.toMillis(), BASE.toMillis() << Math.min(attempt - 1, 16));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
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
