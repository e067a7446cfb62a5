package org.autopilotbridge.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.testing.MovableClock;
import org.junit.jupiter.api.Test;

/**
 * The gate's holds: a Retry-After holds every call, never for longer than autopilot.retry.max-wait; and its budget: a
 * call that writes nothing never waits for the write window.
 */
class GraphGateTest {

    private static final GraphGate.Cost IMPORT = new GraphGate.Cost(GraphGate.Priority.IMPORT, 1, 1);

    @Test
    void passesOverAHoldLongerThanMaxWaitThatAnotherInstanceOrAnOlderVersionLeftInTheLedger() {
        LocalSpendWindow window = new LocalSpendWindow();
        // What a "Retry-After: 99999999" stored by a version without the cap looks like to every instance.
        window.holdUntil(Instant.now().plus(99_999_999, ChronoUnit.SECONDS));
        GraphGate gate = gate(window, Duration.ofSeconds(4));

        // Without the bound the call waits for three years; the preemptive timeout only turns that hang into a failure.
        try (GraphGate.Lane lane = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> gate.enter(IMPORT))) {
            assertThat(lane.held()).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void holdsEveryCallForAHoldWithinMaxWait() {
        LocalSpendWindow window = new LocalSpendWindow();
        GraphGate gate = gate(window, Duration.ofSeconds(30));
        gate.holdAll(Duration.ofMillis(300));

        try (GraphGate.Lane lane = gate.enter(IMPORT)) {
            assertThat(lane.held()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void letsStateReadsGoWhileImportsHaveFilledTheWriteWindowAndHoldsTheNextWrite() {
        LocalSpendWindow window = new LocalSpendWindow();
        GraphProperties defaults = new GraphProperties();
        int writes = defaults.getGraphBudget().getWritesPer20s();
        assertThat(window.spend(writes, writes, defaults.getGraphBudget().getRequestsPer20s(), writes)).isTrue();
        GraphGate gate = gate(window, Duration.ofSeconds(30));

        // Before, a read waited for the write window to move (21 s): the last batches of a file were followed only then.
        try (GraphGate.Lane lane = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> gate.enter(new GraphGate.Cost(GraphGate.Priority.READ, 1, 0)))) {
            assertThat(lane.held()).isZero();
        }
        assertThat(window.spend(1, 1, defaults.getGraphBudget().getRequestsPer20s(), writes)).as("a write still waits").isFalse();
    }

    @Test
    void aCleanUpWaitsForRoomInAFullWindowAndTakesAllThereIsAsSoonAsThereIsAny() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        LocalSpendWindow window = new LocalSpendWindow(clock);
        GraphGate gate = gate(window, Duration.ofSeconds(30));
        int share = GraphGate.share(new GraphProperties().getGraphBudget().getWritesPer20s(), GraphGate.Priority.CLEANUP);
        // The window filled by a $batch of 18 deletes (the room there was) and, a second later, by others.
        assertThat(window.spend(19, 18, Integer.MAX_VALUE, share)).isTrue();
        clock.move(Duration.ofSeconds(1));
        assertThat(window.spend(share - 17, share - 18, Integer.MAX_VALUE, share)).isTrue();

        CompletableFuture<Integer> room = CompletableFuture.supplyAsync(() -> gate.roomForWrites(GraphGate.Priority.CLEANUP));
        clock.move(GraphGate.WINDOW.minusMillis(1500));
        assertThatThrownBy(() -> room.get(300, TimeUnit.MILLISECONDS)).as("no room yet").isInstanceOf(TimeoutException.class);
        clock.move(Duration.ofMillis(500));

        // Asking for room for a whole 20, the call waited for the second spend to leave too, the 18 unspent till then.
        assertThat(room.get(10, TimeUnit.SECONDS)).isEqualTo(18);
    }

    private static GraphGate gate(SpendWindow window, Duration maxWait) {
        GraphProperties defaults = new GraphProperties();
        return new GraphGate(defaults.getGraphConcurrency(), defaults.getGraphBudget().getWritesPer20s(),
                defaults.getGraphBudget().getRequestsPer20s(), maxWait, window, new ServiceStopping());
    }
}
