package org.autopilotbridge.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.autopilotbridge.AutopilotProperties;
import org.springframework.stereotype.Component;

/**
 * What a Graph call must pass before it goes out, in one place: one of {@code autopilot.graph-concurrency} lanes,
 * the tenant-wide hold a 429 sets, and Intune's budget of writes and requests per 20 seconds
 * ({@code autopilot.graph-budget.*}), on sliding windows in which every request inside a $batch counts on its own.
 * Calls wait in order of priority: imports and creates first, state reads next, then updates of registered devices
 * (their lookups included), clean-up and sync last. A waiting call of a higher priority is never delayed by one of a
 * lower priority taking what it needs, and clean-up and sync leave a tenth of the budget unused, so a file dropped
 * during a long clean-up is imported at once.
 */
@Component
class GraphGate {

    /** Whose call it is, most urgent first: updates of registered devices come after following imports. */
    enum Priority {
        IMPORT, READ, UPDATE, CLEANUP
    }

    /** What one call costs: Graph requests (a $batch's items, each on its own) and the writes among them. */
    record Cost(Priority priority, int requests, int writes) {
    }

    /** A lane taken for one call; closing it gives the lane to the next call. */
    interface Lane extends AutoCloseable {
        /** How long the call waited for the tenant-wide hold to pass. */
        Duration held();

        @Override
        void close();
    }

    /**
     * Graph counts a request when it arrives, and a call waits on its way there (for a connection, on the network):
     * the windows here are a little longer than Graph's 20 seconds, so that no spend still counted by Graph is
     * already forgotten here.
     */
    static final Duration WINDOW = Duration.ofSeconds(21);

    /** A waiting call looks this often whether the service is stopping. */
    private static final long STEP = TimeUnit.MILLISECONDS.toNanos(RetryPolicy.STEP_MILLIS);

    private record Spend(long atNanos, int requests, int writes) {
    }

    private static final class Waiter {
        final Cost cost;
        final long arrival;

        Waiter(Cost cost, long arrival) {
            this.cost = cost;
            this.arrival = arrival;
        }
    }

    private final ServiceStopping stopping;
    private final int lanes;
    private final int requestBudget;
    private final int writeBudget;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private final Deque<Spend> window = new ArrayDeque<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private int inFlight;
    private int windowRequests;
    private int windowWrites;
    private long arrivals;
    private long holdUntilNanos = System.nanoTime();

    GraphGate(AutopilotProperties properties, ServiceStopping stopping) {
        this.stopping = stopping;
        this.lanes = properties.getGraphConcurrency();
        this.requestBudget = properties.getGraphBudget().getRequestsPer20s();
        this.writeBudget = properties.getGraphBudget().getWritesPer20s();
    }

    /** Waits until the call may go: a lane is free, no hold is on, and the budget has room for it. */
    Lane enter(Cost cost) {
        long start = System.nanoTime();
        long heldNanos = 0;
        lock.lock();
        try {
            Waiter me = new Waiter(cost, arrivals++);
            waiting.add(me);
            waiting.sort(Comparator.comparing((Waiter w) -> w.cost.priority()).thenComparingLong(w -> w.arrival));
            try {
                while (true) {
                    stopping.check();
                    long now = System.nanoTime();
                    forgetBefore(now - WINDOW.toNanos());
                    if (holdUntilNanos - now > 0) {
                        long wait = holdUntilNanos - now;
                        changed.awaitNanos(Math.min(wait, STEP));
                        heldNanos += Math.min(wait, System.nanoTime() - now);
                        continue;
                    }
                    if (inFlight < lanes && fits(cost, cost.priority()) && harmsNoOneBefore(me)) {
                        break;
                    }
                    changed.awaitNanos(Math.min(untilWindowMoves(now), STEP));
                }
            } finally {
                waiting.remove(me);
            }
            inFlight++;
            window.addLast(new Spend(System.nanoTime(), cost.requests(), cost.writes()));
            windowRequests += cost.requests();
            windowWrites += cost.writes();
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppingException();
        } finally {
            lock.unlock();
        }
        Duration held = Duration.ofNanos(Math.min(heldNanos, System.nanoTime() - start));
        return new Lane() {
            @Override
            public Duration held() {
                return held;
            }

            @Override
            public void close() {
                lock.lock();
                try {
                    inFlight--;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /** Holds back every call until {@code retryAfter} has passed; a longer hold already set stands. */
    void holdAll(Duration retryAfter) {
        lock.lock();
        try {
            long until = System.nanoTime() + retryAfter.toNanos();
            if (until - holdUntilNanos > 0) {
                holdUntilNanos = until;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Requests and writes spent in the current window, for ops: "requests/writes". */
    String spentInWindow() {
        lock.lock();
        try {
            forgetBefore(System.nanoTime() - WINDOW.toNanos());
            return windowRequests + " requests, " + windowWrites + " writes";
        } finally {
            lock.unlock();
        }
    }

    /** True if {@code cost} fits what {@code priority} may use of the window now (a call alone always fits). */
    private boolean fits(Cost cost, Priority priority) {
        boolean empty = windowRequests == 0 && windowWrites == 0;
        return empty || (windowRequests + cost.requests() <= share(requestBudget, priority)
                && windowWrites + cost.writes() <= share(writeBudget, priority));
    }

    /**
     * True unless a call of a higher priority is waiting for what this one would take: it may go itself (then it
     * goes first), or it waits for requests or writes this call would spend.
     */
    private boolean harmsNoOneBefore(Waiter me) {
        for (Waiter before : waiting) {
            if (before == me) {
                return true;
            }
            Priority theirs = before.cost.priority();
            if (theirs == me.cost.priority()) {
                continue;
            }
            if (fits(before.cost, theirs)) {
                changed.signalAll();
                return false;
            }
            boolean requests = windowRequests + me.cost.requests() + before.cost.requests() > share(requestBudget, theirs);
            boolean writes = me.cost.writes() > 0
                    && windowWrites + me.cost.writes() + before.cost.writes() > share(writeBudget, theirs);
            if (requests || writes) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a priority may use of a budget: everything for imports, all but a twentieth for reads and updates, 90% for
     * clean-up.
     */
    private static int share(int budget, Priority priority) {
        return switch (priority) {
            case IMPORT -> budget;
            case READ, UPDATE -> Math.max(1, budget - budget / 20);
            case CLEANUP -> Math.max(1, budget - budget / 10);
        };
    }

    private void forgetBefore(long oldestNanos) {
        while (!window.isEmpty() && window.peekFirst().atNanos() - oldestNanos <= 0) {
            Spend gone = window.removeFirst();
            windowRequests -= gone.requests();
            windowWrites -= gone.writes();
        }
    }

    /** How long until the oldest spend leaves the window (or a second, when nothing is spent). */
    private long untilWindowMoves(long now) {
        if (window.isEmpty()) {
            return TimeUnit.SECONDS.toNanos(1);
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), window.peekFirst().atNanos() + WINDOW.toNanos() - now);
    }
}
