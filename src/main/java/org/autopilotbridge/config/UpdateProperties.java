package org.autopilotbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/** Whether and how registered devices are changed as files ask ({@code autopilot.update-*}). */
@Validated
@ConfigurationProperties(prefix = "autopilot")
public class UpdateProperties implements Validator {

    /**
     * Change registered devices as files ask: a line Graph finds already registered (806) that carries its own Group
     * Tag, Assigned User or Device Name gets them, and lines with a serial number and a group tag, user or device name
     * but no hardware hash are updates; false: 806 is only reported, and lines without a hash are rejected. A device
     * a file imports gets its line's Device Name either way.
     */
    private boolean updateExisting = true;

    /**
     * Tries of one device's update, 1 to 20, before its line fails: Graph answers some bulk updates 412
     * ConditionNotMet, and an answer can be lost.
     */
    @Min(value = 1, message = "autopilot.update-attempts must be between 1 and 20")
    @Max(value = 20, message = "autopilot.update-attempts must be between 1 and 20")
    private int updateAttempts = 5;

    /** Wait before an update is tried again; it doubles with each try (positive, at most 1h). */
    @NotNull(message = "autopilot.update-retry-delay must be set")
    private Duration updateRetryDelay = Duration.ofMinutes(1);

    @Override
    public boolean supports(Class<?> type) {
        return UpdateProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        Duration delay = ((UpdateProperties) target).updateRetryDelay;
        if (delay != null && (delay.isNegative() || delay.isZero() || delay.compareTo(Duration.ofHours(1)) > 0)) {
            errors.rejectValue("updateRetryDelay", "range", "autopilot.update-retry-delay must be a positive duration of at most 1h, such as 1m");
        }
    }

    public boolean isUpdateExisting() { return updateExisting; }
    public void setUpdateExisting(boolean updateExisting) { this.updateExisting = updateExisting; }
    public int getUpdateAttempts() { return updateAttempts; }
    public void setUpdateAttempts(int updateAttempts) { this.updateAttempts = updateAttempts; }
    public Duration getUpdateRetryDelay() { return updateRetryDelay; }
    public void setUpdateRetryDelay(Duration updateRetryDelay) { this.updateRetryDelay = updateRetryDelay; }
}
