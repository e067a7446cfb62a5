package org.autopilotbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** How throttled or failing Graph calls are retried ({@code autopilot.retry.*}). */
@Validated
@ConfigurationProperties(prefix = "autopilot.retry")
public class RetryProperties {

    /** Attempts per Graph call when Graph throttles (429) or is unavailable (503), the first included. */
    @Min(value = 1, message = "autopilot.retry.max-attempts must be between 1 and 50")
    @Max(value = 50, message = "autopilot.retry.max-attempts must be between 1 and 50")
    private int maxAttempts = 8;

    /**
     * The longest one call waits in total between attempts, Retry-After included (a longer Retry-After is cut to
     * it); then Graph is in an outage, which the work waits out: nothing is failed for it.
     */
    @NotNull(message = "autopilot.retry.max-wait must be set")
    private Duration maxWait = Duration.ofMinutes(15);

    /** First backoff when Graph gives no Retry-After; it doubles per attempt, with jitter. */
    @NotNull(message = "autopilot.retry.initial-backoff must be set")
    private Duration initialBackoff = Duration.ofSeconds(1);

    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public Duration getMaxWait() { return maxWait; }
    public void setMaxWait(Duration maxWait) { this.maxWait = maxWait; }
    public Duration getInitialBackoff() { return initialBackoff; }
    public void setInitialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; }
}
