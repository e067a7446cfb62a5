package org.autopilotbridge.graph;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** The spend window of the one instance an embedded ledger allows, in memory. */
class LocalSpendWindow implements SpendWindow {

    private record Spend(Instant at, int requests, int writes) {
    }

    private final Clock clock;
    private final Deque<Spend> window = new ArrayDeque<>();
    private int requests;
    private int writes;
    private Instant holdUntil = Instant.MIN;

    LocalSpendWindow() {
        this(Clock.systemUTC());
    }

    /** A window that moves by {@code clock}, so that a test moves it without waiting 21 seconds. */
    LocalSpendWindow(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Spent spent() {
        forgetOld();
        return new Spent(requests, writes, holdUntil, window.isEmpty() ? null : window.peekFirst().at().plus(GraphGate.WINDOW));
    }

    @Override
    public synchronized boolean spend(int requests, int writes, int requestLimit, int writeLimit) {
        forgetOld();
        if (!new Spent(this.requests, this.writes, holdUntil, null).admits(requests, writes, requestLimit, writeLimit)) {
            return false;
        }
        window.addLast(new Spend(clock.instant(), requests, writes));
        this.requests += requests;
        this.writes += writes;
        return true;
    }

    @Override
    public synchronized void holdUntil(Instant until) {
        if (until.isAfter(holdUntil)) {
            holdUntil = until;
        }
    }

    private void forgetOld() {
        Instant oldest = clock.instant().minus(GraphGate.WINDOW);
        while (!window.isEmpty() && !window.peekFirst().at().isAfter(oldest)) {
            Spend gone = window.removeFirst();
            requests -= gone.requests();
            writes -= gone.writes();
        }
    }
}
