package org.autopilotbridge.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Intune's throttling as Microsoft documents it for enrollment: per app and tenant, so many writes and so many
 * requests per 20 seconds, on sliding windows, every request inside a JSON $batch counting on its own.
 */
final class IntuneBudget {

    static final long WINDOW_MILLIS = 20_000;

    private record Spent(long atMillis, boolean write) {
    }

    private final int writes;
    private final int requests;
    private final Deque<Spent> window = new ArrayDeque<>();
    private int writesInWindow;

    IntuneBudget(int writes, int requests) {
        this.writes = writes;
        this.requests = requests;
    }

    /** Counts the request if the windows have room for it; otherwise returns the seconds until they will. */
    synchronized long admit(boolean write, long nowMillis) {
        while (!window.isEmpty() && window.peekFirst().atMillis() <= nowMillis - WINDOW_MILLIS) {
            writesInWindow -= window.removeFirst().write() ? 1 : 0;
        }
        if (window.size() >= requests || (write && writesInWindow >= writes)) {
            long oldest = write && writesInWindow >= writes
                    ? window.stream().filter(Spent::write).findFirst().orElseThrow().atMillis()
                    : window.peekFirst().atMillis();
            return Math.max(1, (oldest + WINDOW_MILLIS - nowMillis + 999) / 1000);
        }
        window.addLast(new Spent(nowMillis, write));
        writesInWindow += write ? 1 : 0;
        return 0;
    }
}
