package org.autopilotbridge.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autopilotbridge.ledger.Outcome;

/** A file's lines by outcome, and those still on their way ("pending": no outcome yet, or being updated). */
final class OutcomeCounts {

    static final String PENDING = "pending";

    /** One part of the bar: its label, how many lines, their share in percent, and whether they need action. */
    record Segment(String label, long lines, double percent, boolean needsAction) {
    }

    private final Map<Outcome, Long> finals = new EnumMap<>(Outcome.class);
    private long pending;

    /** Adds {@code lines} lines with this outcome (null: none yet). */
    void add(Outcome outcome, long lines) {
        if (outcome == null || outcome == Outcome.UPDATING) {
            pending += lines;
        } else {
            finals.merge(outcome, lines, Long::sum);
        }
    }

    long total() {
        return pending + finals.values().stream().mapToLong(Long::longValue).sum();
    }

    long pending() {
        return pending;
    }

    /** Lines that need action: those that go to the failed-rows file. */
    long needingAction() {
        return finals.entrySet().stream().filter(e -> e.getKey().deadLettered()).mapToLong(Map.Entry::getValue).sum();
    }

    /** The counts by label, in the results file's words, outcomes in their order and pending last; no zeros. */
    Map<String, Long> byLabel() {
        Map<String, Long> labels = new LinkedHashMap<>();
        segments().forEach(s -> labels.put(s.label(), s.lines()));
        return Collections.unmodifiableMap(labels);
    }

    /** The parts of the bar, as {@link #byLabel} orders them. */
    List<Segment> segments() {
        double total = total();
        List<Segment> segments = new ArrayList<>();
        finals.forEach((outcome, lines) -> segments.add(new Segment(outcome.label(), lines, 100 * lines / total, outcome.deadLettered())));
        if (pending > 0) {
            segments.add(new Segment(PENDING, pending, 100 * pending / total, false));
        }
        return segments;
    }

    /** The counts in words, e.g. "imported 98, failed 2": what the bar shows, for a reader who cannot see it. */
    String summary() {
        List<String> parts = segments().stream().map(s -> s.label() + " " + s.lines()).toList();
        return parts.isEmpty() ? "no lines" : String.join(", ", parts);
    }
}
