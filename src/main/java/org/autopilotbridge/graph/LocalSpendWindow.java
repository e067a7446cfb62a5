package org.autopilotbridge.graph;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** The spend window of the one instance an embedded ledger allows, in memory. */
class LocalSpendWindow implements SpendWindow {

    private record Spend(Instant at, int requests, int writes) {
    }

    private final Deque<Spend> window = new ArrayDeque<>();
    private int requests;
    private int writes;
    private Instant holdUntil = Instant.MIN;

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
        window.addLast(new Spend(Instant.now(), requests, writes));
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
        Instant oldest = Instant.now().minus(GraphGate.WINDOW);
        while (!window.isEmpty() && !window.peekFirst().at().isAfter(oldest)) {
            Spend gone = window.removeFirst();
            requests -= gone.requests();
            writes -= gone.writes();
        }
    }
}
