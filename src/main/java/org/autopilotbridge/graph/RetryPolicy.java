package org.autopilotbridge.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.utils.DateUtils;
import org.autopilotbridge.config.RetryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one place where it is decided whether a failed call is tried again, and when: exactly when Graph's Retry-After
 * says (seconds or an HTTP date), else after exponential backoff with jitter; at most
 * {@code autopilot.retry.max-attempts} attempts and {@code autopilot.retry.max-wait} of waiting per call. Graph
 * calls, the items of a JSON {@code $batch} and token requests all count their attempts here.
 */
@Component
class RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    /** How often a wait looks whether the service is stopping. */
    static final long STEP_MILLIS = 100;

    private final RetryProperties settings;
    private final ServiceStopping stopping;
    /** Whether a Retry-After longer than max-wait was met since the last sane one: said once per run of them. */
    private final AtomicBoolean cappedSaid = new AtomicBoolean();

    RetryPolicy(RetryProperties settings, ServiceStopping stopping) {
        this.settings = settings;
        this.stopping = stopping;
    }

    /** The attempts of one call, the first already under way. */
    Attempts start() {
        return new Attempts(new Waited());
    }

    /**
     * Whether an answer with {@code status} (0: none) is worth another attempt: throttled (429) or unavailable (503)
     * always, since Graph did not act; any other 5xx or no answer only when the request is safe to repeat (a read, a
     * delete), since Graph may have acted on it.
     */
    static boolean retryable(int status, boolean repeatable) {
        return status == 429 || status == 503 || (repeatable && (status == 0 || status >= 500));
    }

    /** The time spent waiting so far, shared by the calls of one operation. */
    private static final class Waited {
        private Duration total = Duration.ZERO;
    }

    /** One call's attempts so far and the time it (and the operation it belongs to) has spent waiting between them. */
    final class Attempts {

        private int made = 1;
        private final Waited waited;

        private Attempts(Waited waited) {
            this.waited = waited;
        }

        /**
         * The attempts of the next call of the same operation (the next $batch call of a long delete): attempts of its
         * own, but waiting within the same autopilot.retry.max-wait.
         */
        Attempts nextCall() {
            return new Attempts(waited);
        }

        /** Attempts made so far, the one under way included. */
        int made() {
            return made;
        }

        int allowed() {
            return settings.getMaxAttempts();
        }

        /**
         * After a failed attempt: how long to wait before the next one (Graph's Retry-After when it gave one, else
         * backoff), or empty when either bound would be passed.
         */
        Optional<Duration> next(Duration retryAfter) {
            Duration delay = retryAfter != null ? retryAfter : backoff(made);
            if (made >= settings.getMaxAttempts() || waited.total.plus(delay).compareTo(settings.getMaxWait()) > 0) {
                return Optional.empty();
            }
            made++;
            waited.total = waited.total.plus(delay);
            return Optional.of(delay);
        }

        /** Time this call was held back for other calls' sake (a tenant-wide Retry-After) counts as waiting too. */
        void heldFor(Duration hold) {
            waited.total = waited.total.plus(hold);
        }
    }

    /** Exponential backoff before attempt {@code attempt + 1}: between half and all of initial x 2^(attempt-1). */
    Duration backoff(int attempt) {
        long base = Math.max(1, settings.getInitialBackoff().toMillis());
        long cap = Math.min(settings.getMaxWait().toMillis(), base << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap - cap / 2 + 1));
    }

    /**
     * How long a server's Retry-After header asks to wait (null when it asks nothing readable), never longer than
     * autopilot.retry.max-wait: a gateway answering "Retry-After: 99999999" must not hold every Graph call for years.
     * A wait cut short is said once, until a sane Retry-After comes again.
     */
    Duration serverWait(String retryAfter) {
        Duration told = parseRetryAfter(retryAfter, Instant.now());
        Duration cap = settings.getMaxWait();
        if (told == null || told.compareTo(cap) <= 0) {
            if (told != null) {
                cappedSaid.set(false);
            }
            return told;
        }
        if (cappedSaid.compareAndSet(false, true)) {
            LOG.warn("Graph asked to wait {} s before the next call (Retry-After: {}); waiting at most "
                    + "autopilot.retry.max-wait ({} s) instead", told.toSeconds(), retryAfter.strip(), cap.toSeconds());
        }
        return cap;
    }

    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            // More digits than a long holds is still a (very long) wait, which the caller caps.
            return Duration.ofSeconds(v.length() > 12 ? 999_999_999_999L : Long.parseLong(v));
        }
        Instant at = DateUtils.parseStandardDate(v);
        if (at == null) {
            return null;
        }
        Duration until = Duration.between(now, at);
        return until.isNegative() ? Duration.ZERO : until;
    }

    /**
     * Waits {@code delay} before the next attempt, unless the service begins to stop meanwhile: then the call gives
     * its work back to the ledger ({@link StoppingException}) instead of sitting out a backoff or a Retry-After.
     */
    void pause(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        try {
            for (long left = delay.toMillis(); left > 0; left = (until - System.nanoTime()) / 1_000_000) {
                stopping.check();
                Thread.sleep(Math.min(left, STEP_MILLIS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppingException();
        }
        stopping.check();
    }
}
