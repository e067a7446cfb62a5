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
    }

    Spent spent();

    /**
     * Spends {@code requests} and {@code writes} if the window stays within the limits with them, or is empty (a
     * call alone always goes); a call without writes is held to the request limit alone. True if it did. One decision
     * at a time across every instance that shares the window.
     */
    boolean spend(int requests, int writes, int requestLimit, int writeLimit);

    /** Holds back every call until {@code until}; a longer hold already set stands. */
    void holdUntil(Instant until);
}
