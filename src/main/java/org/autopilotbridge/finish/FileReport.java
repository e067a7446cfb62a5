package org.autopilotbridge.finish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.autopilotbridge.ledger.Outcome;

/**
 * How a file ended, for whoever is told about it (routes/80-notify.camel.yaml): finished with its outcome counts, or refused
 * whole with the reason. {@code failedLines} is the file that needs action: the failed-rows file of a finished
 * file (null when every line went through), the file itself in dead-letter when it was refused.
 */
public record FileReport(String file, String source, boolean refused, Map<Outcome, Integer> outcomes, Duration duration,
                         Path results, Path failedLines, String reason) {

    static FileReport finished(String file, String source, Map<Outcome, Integer> outcomes, Duration duration, Path results,
                               Path failedLines) {
        return new FileReport(file, source, false, outcomes, duration, results, failedLines, null);
    }

    public static FileReport refused(String file, String source, Path deadLettered, String reason) {
        return new FileReport(file, source, true, Map.of(), null, null, deadLettered, reason);
    }

    /** Lines that went to dead-letter, to be fixed and dropped again. */
    public int failedLineCount() {
        return outcomes.entrySet().stream().filter(e -> e.getKey().deadLettered()).mapToInt(Map.Entry::getValue).sum();
    }

    /** Whether someone has to act: the file was refused, or some of its lines are in dead-letter. */
    public boolean needsAction() {
        return refused || failedLineCount() > 0;
    }
}
