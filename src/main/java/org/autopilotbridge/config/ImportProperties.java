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
 * {@code profile-wait}, {@code retention}): the group tag lines without one get, what is tidied in Graph afterwards,
 * how long devices are followed until their deployment profile is assigned, and how long the ledger remembers the file.
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
     * How long each imported or updated device is followed until Intune has assigned its deployment profile (or
     * failed to), at most 7d; its file's results wait for it and gain the columns Profile Status (assigned,
     * not-assigned, pending, failed, not-registered) and Deployment Profile. 0 (the default): devices are not followed,
     * and results are as without it.
     */
    // Intune assigns through the dynamic group the group tag puts a device in, which Entra evaluates in minutes to
    // hours. Reads back off from poll-interval to 15 minutes between reads, so a long wait costs few requests.
    @NotNull(message = "autopilot.profile-wait must be set")
    private Duration profileWait = Duration.ZERO;

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
        ImportProperties settings = (ImportProperties) target;
        Duration configured = settings.retention;
        if (configured != null && configured.compareTo(Duration.ofDays(1)) < 0) {
            errors.rejectValue("retention", "range", "autopilot.retention must be at least 1d, such as 90d");
        }
        Duration wait = settings.profileWait;
        if (wait != null && (wait.isNegative() || wait.compareTo(Duration.ofDays(7)) > 0)) {
            errors.rejectValue("profileWait", "range", "autopilot.profile-wait must be between 0 (off) and 7d, such as 2h");
        }
    }

    public String getGroupTag() { return groupTag; }
    public void setGroupTag(String groupTag) { this.groupTag = groupTag; }
    public boolean isCleanup() { return cleanup; }
    public void setCleanup(boolean cleanup) { this.cleanup = cleanup; }
    public boolean isSync() { return sync; }
    public void setSync(boolean sync) { this.sync = sync; }
    /** Whether imported and updated devices are followed for their deployment profile: profile-wait is not 0. */
    public boolean followsProfiles() {
        return profileWait.compareTo(Duration.ZERO) > 0;
    }

    public Duration getProfileWait() { return profileWait; }
    public void setProfileWait(Duration profileWait) { this.profileWait = profileWait; }
    public Duration getRetention() { return retention; }
    public void setRetention(Duration retention) { this.retention = retention; }
}
