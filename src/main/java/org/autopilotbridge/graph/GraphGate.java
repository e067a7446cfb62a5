package org.autopilotbridge.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;


/**
 * What a Graph call must pass before it goes out, in one place: one of {@code autopilot.graph-concurrency} lanes,
 * the tenant-wide hold a 429 sets, and Intune's budget of writes and requests per 20 seconds
 * ({@code autopilot.graph-budget.*}), on sliding windows in which every request inside a $batch counts on its own
 * ({@link SpendWindow}: this instance's, or the one all instances share). Calls wait in order of priority: imports
 * and creates first, state reads next, then updates of registered devices (their lookups included), then reads of
 * deployment profiles, clean-up and sync last. A waiting call of a higher priority is never delayed by one of a lower priority taking what it needs,
 * and every call but an import leaves a fiftieth of the budget unused, so a file dropped during a long clean-up is
 * imported at once. One per tenant ({@link TenantGraphs}): Intune counts per app and tenant.
 */
class GraphGate {

    /**
     * Whose call it is, most urgent first: updates of registered devices come after following imports, and following
     * deployment profiles (which only waits for Intune) after both.
     */
    enum Priority {
        IMPORT, READ, UPDATE, PROFILE, CLEANUP
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

    /** A waiting call looks this often whether the service is stopping, and at a window shared with others. */
    private static final long STEP = TimeUnit.MILLISECONDS.toNanos(RetryPolicy.STEP_MILLIS);

    private static final class Waiter {
        final Cost cost;
        final long arrival;

        Waiter(Cost cost, long arrival) {
            this.cost = cost;
            this.arrival = arrival;
        }
    }

    private final SpendWindow window;
    private final ServiceStopping stopping;
    private final int lanes;
    private final int requestBudget;
    private final int writeBudget;
    /** No hold lasts longer: every hold set is capped so, and one found longer in a shared ledger was not set so. */
    private final long longestHold;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private final List<Waiter> waiting = new ArrayList<>();
    private int inFlight;
    private long arrivals;

    /**
     * A tenant's gate: its lanes, its budget per 20 seconds, the longest hold it honours (autopilot.retry.max-wait) and
     * its window (the one all instances on a shared ledger keep there, or this instance's own).
     */
    GraphGate(int lanes, int writeBudget, int requestBudget, Duration longestHold, SpendWindow window, ServiceStopping stopping) {
        this.window = window;
        this.stopping = stopping;
        this.lanes = lanes;
        this.requestBudget = requestBudget;
        this.writeBudget = writeBudget;
        this.longestHold = longestHold.toNanos();
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
                    SpendWindow.Spent spent = window.spent();
                    Instant now = Instant.now();
                    long hold = spent.holdUntil().isAfter(now) ? Duration.between(now, spent.holdUntil()).toNanos() : 0;
                    // A hold beyond max-wait from now was never set by a capped Retry-After (an older version, a
                    // clock far ahead): it is passed over rather than freezing every call of every instance.
                    if (hold > 0 && hold <= longestHold) {
                        long before = System.nanoTime();
                        changed.awaitNanos(Math.min(hold, STEP));
                        heldNanos += System.nanoTime() - before;
                        continue;
                    }
                    if (inFlight < lanes && fits(spent, cost, cost.priority()) && harmsNoOneBefore(spent, me)
                            && window.spend(cost.requests(), cost.writes(), share(requestBudget, cost.priority()),
                            share(writeBudget, cost.priority()))) {
                        break;
                    }
                    changed.awaitNanos(Math.min(untilWindowMoves(spent), STEP));
                }
            } finally {
                waiting.remove(me);
            }
            inFlight++;
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
        window.holdUntil(Instant.now().plus(retryAfter));
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * True if {@code cost} fits what {@code priority} may use of the window now ({@link SpendWindow.Spent#admits}: a
     * call that writes nothing never waits for writes, so state reads go on while imports fill the write window).
     */
    private boolean fits(SpendWindow.Spent spent, Cost cost, Priority priority) {
        return spent.admits(cost.requests(), cost.writes(), share(requestBudget, priority), share(writeBudget, priority));
    }

    /**
     * True unless a call of a higher priority is waiting for what this one would take: it may go itself (then it
     * goes first), or it waits for requests or writes this call would spend.
     */
    private boolean harmsNoOneBefore(SpendWindow.Spent spent, Waiter me) {
        for (Waiter before : waiting) {
            if (before == me) {
                return true;
            }
            Priority theirs = before.cost.priority();
            if (theirs == me.cost.priority()) {
                continue;
            }
            if (fits(spent, before.cost, theirs)) {
                changed.signalAll();
                return false;
            }
            boolean requests = spent.requests() + me.cost.requests() + before.cost.requests() > share(requestBudget, theirs);
            boolean writes = me.cost.writes() > 0
                    && spent.writes() + me.cost.writes() + before.cost.writes() > share(writeBudget, theirs);
            if (requests || writes) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until a call of {@code priority} could spend at least one write, and returns how many it could spend now: a
     * $batch of writes is sized when it can go, so that the room a smaller $batch leaves when it leaves the window is
     * spent at once, not left unspent while every call waits for room for a whole 20.
     */
    int roomForWrites(Priority priority) {
        lock.lock();
        try {
            while (true) {
                stopping.check();
                SpendWindow.Spent spent = window.spent();
                int room = share(writeBudget, priority) - spent.writes();
                if (room > 0) {
                    return room;
                }
                changed.awaitNanos(Math.min(untilWindowMoves(spent), STEP));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppingException();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a priority may use of a budget: everything for imports, all but a fiftieth (at least one) for every other
     * call, so that an import call, one write for up to 500 devices, finds room at once even while a long clean-up
     * fills the window. A larger reserve would only slow clean-up: a waiting import or update goes before clean-up
     * anyway ({@link #harmsNoOneBefore}), and clean-up is measured against the budget's own rate.
     */
    static int share(int budget, Priority priority) {
        return priority == Priority.IMPORT ? budget : Math.max(1, budget - Math.max(1, budget / 50));
    }

    /** How long until the oldest spend leaves the window (a step when nothing is spent). */
    private static long untilWindowMoves(SpendWindow.Spent spent) {
        if (spent.windowMoves() == null) {
            return STEP;
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), Duration.between(Instant.now(), spent.windowMoves()).toNanos());
    }
}
