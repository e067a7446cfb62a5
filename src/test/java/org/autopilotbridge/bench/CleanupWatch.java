package org.autopilotbridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Graph's staging records as clean-up deletes them, watched from the stand-in, to time the clean-up or, when it
 * would take hours, to extrapolate its end from its rate. Under a budget, clean-up deletes in bursts (as many
 * $batch calls as the window has room for, then nothing until it moves on), so the rate is taken from whole
 * bursts: the records deleted after the first burst, over the time from the first burst's start to the last's.
 */
final class CleanupWatch {

    /** Deletes closer together than this belong to one burst; windows are 20 seconds apart. */
    private static final long BURST_GAP_NANOS = Duration.ofSeconds(2).toNanos();

    private record Burst(long startNanos, long lastNanos, int deleted) {
    }

    private final long originNanos;
    private final List<Burst> bursts = new ArrayList<>();
    private int remaining;

    /** {@code originNanos}: when the file was dropped; {@code staged}: the records clean-up has to delete. */
    CleanupWatch(long originNanos, int staged) {
        this.originNanos = originNanos;
        this.remaining = staged;
    }

    /** Notes how many records are left now. */
    void sample(long nowNanos, int left) {
        if (left >= remaining) {
            return;
        }
        int deleted = remaining - left;
        remaining = left;
        Burst last = bursts.isEmpty() ? null : bursts.get(bursts.size() - 1);
        if (last != null && nowNanos - last.lastNanos() < BURST_GAP_NANOS) {
            bursts.set(bursts.size() - 1, new Burst(last.startNanos(), nowNanos, last.deleted() + deleted));
        } else {
            bursts.add(new Burst(nowNanos, nowNanos, deleted));
        }
    }

    boolean started() {
        return !bursts.isEmpty();
    }

    boolean done() {
        return remaining == 0;
    }

    /** Time from the first delete seen. */
    Duration watched(long nowNanos) {
        return bursts.isEmpty() ? Duration.ZERO : Duration.ofNanos(nowNanos - bursts.get(0).startNanos());
    }

    int deleted(int staged) {
        return staged - remaining;
    }

    /** Records deleted per second, from whole bursts; over the whole watch when there were fewer than three. */
    double perSecond() {
        Burst first = bursts.get(0);
        Burst last = bursts.get(bursts.size() - 1);
        if (bursts.size() < 3) {
            int all = bursts.stream().mapToInt(Burst::deleted).sum();
            return all / Math.max(1e-3, (last.lastNanos() - first.startNanos()) / 1e9);
        }
        int afterFirst = bursts.stream().skip(1).mapToInt(Burst::deleted).sum();
        return afterFirst / ((last.startNanos() - first.startNanos()) / 1e9);
    }

    /** From the drop to the last delete: as seen when done, else extrapolated from the rate. */
    Duration toLastDelete() {
        Burst last = bursts.get(bursts.size() - 1);
        long end = done() ? last.lastNanos() : last.startNanos() + (long) (remaining / perSecond() * 1e9);
        return Duration.ofNanos(end - originNanos);
    }
}
