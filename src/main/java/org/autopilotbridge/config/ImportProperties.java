package org.autopilotbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * What the service does around a file's import ({@code autopilot.group-tag}, {@code cleanup}, {@code sync},
 * {@code retention}): the group tag lines without one get, what is tidied in Graph afterwards, and how long the
 * ledger remembers the file.
 */
@Validated
@ConfigurationProperties(prefix = "autopilot")
public class ImportProperties implements Validator {

    /** Group tag for devices whose line has none (empty: no group tag). */
    @Size(max = DeviceLimits.GROUP_TAG_MAX, message = "autopilot.group-tag must be at most {max} characters")
    private String groupTag;

    /** Delete the imported records once their devices are final (they are only Graph's staging area). */
    private boolean cleanup = true;

    /** Request an Autopilot sync after files whose devices imported or were updated (at most once per 10 minutes). */
    private boolean sync = true;

    /**
     * How long the ledger keeps a finished or refused file with its lines (at least 1d), checked every hour; a file
     * dropped again after that is imported again, and Graph reports its devices as already registered.
     */
    // Failed attempts at a file's content and instances not seen for as long go too; a file still being read or
    // followed never does. The devices gauges of the metrics keep counting removed files.
    @NotNull(message = "autopilot.retention must be set")
    private Duration retention = Duration.ofDays(90);

    @Override
    public boolean supports(Class<?> type) {
        return ImportProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        Duration configured = ((ImportProperties) target).retention;
        if (configured != null && configured.compareTo(Duration.ofDays(1)) < 0) {
            errors.rejectValue("retention", "range", "autopilot.retention must be at least 1d, such as 90d");
        }
    }

    public String getGroupTag() { return groupTag; }
    public void setGroupTag(String groupTag) { this.groupTag = groupTag; }
    public boolean isCleanup() { return cleanup; }
    public void setCleanup(boolean cleanup) { this.cleanup = cleanup; }
    public boolean isSync() { return sync; }
    public void setSync(boolean sync) { this.sync = sync; }
    public Duration getRetention() { return retention; }
    public void setRetention(Duration retention) { this.retention = retention; }
}
