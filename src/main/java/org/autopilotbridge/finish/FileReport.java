package org.autopilotbridge.finish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.ProfileStatus;

/**
 * How a file ended, for whoever is told about it (routes/80-notify.camel.yaml): finished with its outcome counts, or refused
 * whole with the reason. {@code failedLines} is the file that needs action: the failed-rows file of a finished
 * file (null when every line went through), the file itself in dead-letter when it was refused. {@code profiles}
 * counts how following the lines' deployment profiles ended (empty when none was followed: autopilot.profile-wait 0).
 * {@code tenant} names the tenant the file was dropped for.
 */
public record FileReport(String file, String source, boolean refused, Map<Outcome, Integer> outcomes, Duration duration,
                         Path results, Path failedLines, String reason, Map<ProfileStatus, Integer> profiles, String tenant) {

    static FileReport finished(String file, String source, Map<Outcome, Integer> outcomes, Duration duration, Path results,
                               Path failedLines, Map<ProfileStatus, Integer> profiles, String tenant) {
        return new FileReport(file, source, false, outcomes, duration, results, failedLines, null, profiles, tenant);
    }

    public static FileReport refused(String file, String source, Path deadLettered, String reason, String tenant) {
        return new FileReport(file, source, true, Map.of(), null, null, deadLettered, reason, Map.of(), tenant);
    }

    /** Followed lines whose deployment profile is not assigned: not-assigned, pending, failed, or deleted meanwhile. */
    public int notAssignedCount() {
        return profiles.entrySet().stream().filter(e -> e.getKey() != ProfileStatus.ASSIGNED).mapToInt(Map.Entry::getValue).sum();
    }

    /** Lines that went to dead-letter, to be fixed and dropped again. */
    public int failedLineCount() {
        return outcomes.entrySet().stream().filter(e -> e.getKey().deadLettered()).mapToInt(Map.Entry::getValue).sum();
    }

    /**
     * Whether someone has to act: the file was refused, some of its lines are in dead-letter, or some of its devices
     * have no deployment profile.
     */
    public boolean needsAction() {
        return refused || failedLineCount() > 0 || notAssignedCount() > 0;
    }
}
