package org.autopilotbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The collector's pauses between two moments, from its log: young and full, how many and how long in all. */
record GcPauses(int young, Duration youngTotal, int full, Duration fullTotal) {

    /** {@code [2026-12-07T12:03:19.821+0000][12.935s][info][gc] GC(148) Pause Young (Allocation Failure) ... 8.336ms}. */
    private static final Pattern PAUSE = Pattern.compile("^\\[([^\\]]+)\\].* Pause (Young|Full).* ([\\d.]+)ms$");
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    static GcPauses between(Path gcLog, Instant from, Instant to) throws IOException {
        int young = 0;
        int full = 0;
        double youngMs = 0;
        double fullMs = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = PAUSE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Instant at = OffsetDateTime.parse(m.group(1), UTC_TIME).toInstant();
            if (at.isBefore(from) || at.isAfter(to)) {
                continue;
            }
            if (m.group(2).equals("Young")) {
                young++;
                youngMs += Double.parseDouble(m.group(3));
            } else {
                full++;
                fullMs += Double.parseDouble(m.group(3));
            }
        }
        return new GcPauses(young, Duration.ofNanos((long) (youngMs * 1e6)), full, Duration.ofNanos((long) (fullMs * 1e6)));
    }

    Duration total() {
        return youngTotal.plus(fullTotal);
    }
}
