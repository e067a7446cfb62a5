package org.autopilotbridge.graph;

import java.time.Instant;

/**
 * What this service spent of Graph's budget in the last {@link GraphGate#WINDOW}, and the Retry-After hold: kept
 * in memory by one instance ({@link LocalSpendWindow}), or in the shared ledger when several instances use the same
 * app and tenant, since Graph throttles per app and tenant.
 */
public interface SpendWindow {

    /** Requests and writes spent in the window, the hold, and when the oldest spend leaves the window (or null). */
    record Spent(int requests, int writes, Instant holdUntil, Instant windowMoves) {
        boolean empty() {
            return requests == 0 && writes == 0;
        }

        /**
         * Whether a call of {@code requests} and {@code writes} fits within these limits: always in an empty window (a
         * call alone always goes), and a call without writes is held to the request limit alone.
         */
        public boolean admits(int requests, int writes, int requestLimit, int writeLimit) {
            return empty() || (this.requests + requests <= requestLimit
                    && (writes == 0 || this.writes + writes <= writeLimit));
        }
    }

    Spent spent();

    /**
     * Spends {@code requests} and {@code writes} if the window {@link Spent#admits admits} them; true if it did. One
     * decision at a time across every instance that shares the window.
     */
    boolean spend(int requests, int writes, int requestLimit, int writeLimit);

    /** Holds back every call until {@code until}; a longer hold already set stands. */
    void holdUntil(Instant until);
}
