package org.autopilotbridge.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.autopilotbridge.config.RetryProperties;
import org.junit.jupiter.api.Test;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

/** The one retry policy every Graph call, $batch item and token request goes through. */
class RetryPolicyTest {

    private static RetryPolicy policy(int maxAttempts, Duration maxWait, Duration initialBackoff) {
        RetryProperties settings = new RetryProperties();
        settings.setMaxAttempts(maxAttempts);
        settings.setMaxWait(maxWait);
        settings.setInitialBackoff(initialBackoff);
        return new RetryPolicy(settings, new ServiceStopping());
    }

    @Test
    void readsRetryAfterAsSecondsAndAsAnHttpDate() {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");

        assertThat(RetryPolicy.parseRetryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryPolicy.parseRetryAfter(" 0 ", now)).isEqualTo(Duration.ZERO);
        assertThat(RetryPolicy.parseRetryAfter("Wed, 25 Nov 2026 10:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryPolicy.parseRetryAfter("Wed, 25 Nov 2026 09:59:00 GMT", now)).as("a date passed").isEqualTo(Duration.ZERO);
        assertThat(RetryPolicy.parseRetryAfter(null, now)).isNull();
        assertThat(RetryPolicy.parseRetryAfter("", now)).isNull();
        assertThat(RetryPolicy.parseRetryAfter("soon", now)).isNull();
        assertThat(RetryPolicy.parseRetryAfter("-5", now)).isNull();
        assertThat(RetryPolicy.parseRetryAfter("99999999999999", now)).as("longer than a long holds, still a wait")
                .isGreaterThan(Duration.ofDays(365 * 1000));
    }

    @Test
    void waitsAtMostMaxWaitWhateverAServerAsksFor() {
        RetryPolicy retry = policy(8, Duration.ofSeconds(4), Duration.ofMillis(100));

        assertThat(retry.serverWait("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(retry.serverWait("99999999")).as("a broken gateway's Retry-After").isEqualTo(Duration.ofSeconds(4));
        assertThat(retry.serverWait("Fri, 31 Dec 9999 23:59:59 GMT")).as("an HTTP date far ahead").isEqualTo(Duration.ofSeconds(4));
        assertThat(retry.serverWait("99999999999999999999")).isEqualTo(Duration.ofSeconds(4));
        assertThat(retry.serverWait(null)).isNull();
    }

    @Test
    void backsOffExponentiallyWithJitterBetweenHalfAndAllOfEachStep() {
        RetryPolicy retry = policy(8, Duration.ofMinutes(15), Duration.ofMillis(1000));

        for (int attempt = 1; attempt <= 6; attempt++) {
            long step = 1000L << (attempt - 1);
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                long delay = retry.backoff(attempt).toMillis();
                assertThat(delay).as("attempt %d", attempt).isBetween(step / 2, step);
                seen.add(delay);
            }
            assertThat(seen).as("jitter at attempt %d", attempt).hasSizeGreaterThan(10);
        }
    }

    @Test
    void neverBacksOffLongerThanMaxWait() {
        RetryPolicy retry = policy(50, Duration.ofSeconds(10), Duration.ofSeconds(1));

        assertThat(retry.backoff(30)).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void givesUpAfterMaxAttempts() {
        RetryPolicy.Attempts attempts = policy(3, Duration.ofMinutes(15), Duration.ofMillis(10)).start();

        assertThat(attempts.next(null)).isPresent();
        assertThat(attempts.next(Duration.ofSeconds(1))).contains(Duration.ofSeconds(1));
        assertThat(attempts.made()).isEqualTo(3);
        assertThat(attempts.next(null)).as("a fourth attempt").isEmpty();
    }

    @Test
    void aRetryAfterLongerThanWhatIsLeftOfMaxWaitEndsTheCall() {
        RetryPolicy.Attempts attempts = policy(8, Duration.ofSeconds(60), Duration.ofMillis(10)).start();

        assertThat(attempts.next(Duration.ofSeconds(45))).contains(Duration.ofSeconds(45));
        assertThat(attempts.next(Duration.ofSeconds(20))).as("45 s + 20 s is over 60 s").isEmpty();
    }

    @Test
    void theCallsOfOneOperationEachHaveTheirAttemptsButWaitWithinOneMaxWait() {
        RetryPolicy.Attempts first = policy(3, Duration.ofSeconds(60), Duration.ofMillis(10)).start();
        assertThat(first.next(Duration.ofSeconds(40))).contains(Duration.ofSeconds(40));

        RetryPolicy.Attempts second = first.nextCall();

        assertThat(second.made()).as("attempts of its own").isEqualTo(1);
        assertThat(second.next(Duration.ofSeconds(30))).as("40 s + 30 s is over the operation's 60 s").isEmpty();
        assertThat(second.next(Duration.ofSeconds(15))).contains(Duration.ofSeconds(15));
        assertThat(second.nextCall().next(Duration.ofSeconds(10))).as("55 s waited already").isEmpty();
    }

    @Test
    void retriesWhatGraphSurelyDidNotActOnAndRepeatsTheRestOnlyWhenThatIsSafe() {
        assertThat(List.of(429, 503)).allSatisfy(status -> {
            assertThat(RetryPolicy.retryable(status, false)).as("write, %d", status).isTrue();
            assertThat(RetryPolicy.retryable(status, true)).as("read, %d", status).isTrue();
        });
        assertThat(List.of(0, 500, 502, 504)).allSatisfy(status -> {
            assertThat(RetryPolicy.retryable(status, false)).as("a write Graph may have acted on, %d", status).isFalse();
            assertThat(RetryPolicy.retryable(status, true)).as("read, %d", status).isTrue();
        });
        assertThat(List.of(400, 401, 403, 404, 409, 412)).allSatisfy(status ->
                assertThat(RetryPolicy.retryable(status, true)).as("%d", status).isFalse());
    }

    @Test
    void timeHeldBackForOtherCallsCountsAgainstMaxWait() {
        RetryPolicy.Attempts attempts = policy(8, Duration.ofSeconds(60), Duration.ofMillis(10)).start();

        attempts.heldFor(Duration.ofSeconds(55));

        assertThat(attempts.next(Duration.ofSeconds(10))).isEmpty();
        assertThat(attempts.next(Duration.ofSeconds(5))).isEqualTo(Optional.of(Duration.ofSeconds(5)));
    }

    @Test
    void aWaitEndsAtOnceWhenTheServiceBeginsToStop() {
        ServiceStopping stopping = new ServiceStopping();
        RetryPolicy retry = new RetryPolicy(new RetryProperties(), stopping);
        stopping.onApplicationEvent(new ContextClosedEvent(new GenericApplicationContext()));

        assertThatThrownBy(() -> retry.pause(Duration.ofHours(1))).isInstanceOf(StoppingException.class);
    }
}
