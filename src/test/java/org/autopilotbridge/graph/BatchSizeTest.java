package org.autopilotbridge.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A $batch of writes takes the room the budget has, so a clean-up fills Intune's window: at 98 of 100 writes in
 * $batch calls of 20 it would send 80 and wait, a fifth of the budget unspent.
 */
class BatchSizeTest {

    private static final List<JsonBatch.Request> DELETES = Collections.nCopies(50, new JsonBatch.Request("DELETE", "r", null));
    private static final List<JsonBatch.Request> READS = Collections.nCopies(50, new JsonBatch.Request("GET", "r", null));

    @Test
    void sendsAsManyWritesAsTheWindowHasRoomFor() {
        assertThat(JsonBatch.size(DELETES, 0, () -> 16)).isEqualTo(16);
        assertThat(JsonBatch.size(DELETES, 0, () -> 1)).isEqualTo(1);
        assertThat(JsonBatch.size(DELETES, 40, () -> 16)).as("the last ten").isEqualTo(10);
    }

    @Test
    void neverSendsMoreThanGraphTakes() {
        assertThat(JsonBatch.size(DELETES, 0, () -> 96)).isEqualTo(JsonBatch.LIMIT);
    }

    @Test
    void readsAreNotWritesAndFillTheBatchWhateverTheWritesLeft() {
        assertThat(JsonBatch.size(READS, 0, () -> 1)).isEqualTo(JsonBatch.LIMIT);
        List<JsonBatch.Request> mixed = new ArrayList<>(READS.subList(0, 5));
        mixed.addAll(DELETES.subList(0, 10));
        assertThat(JsonBatch.size(mixed, 0, () -> 3)).as("five reads and three deletes").isEqualTo(8);
    }

    @Test
    void everyCallButAnImportLeavesRoomForImportsAndEachPriorityGetsSomething() {
        assertThat(GraphGate.share(100, GraphGate.Priority.IMPORT)).isEqualTo(100);
        assertThat(GraphGate.share(100, GraphGate.Priority.UPDATE)).isEqualTo(98);
        assertThat(GraphGate.share(100, GraphGate.Priority.CLEANUP)).isEqualTo(98);
        assertThat(GraphGate.share(30, GraphGate.Priority.READ)).isEqualTo(29);
        assertThat(GraphGate.share(30, GraphGate.Priority.CLEANUP)).isEqualTo(29);
        assertThat(GraphGate.share(2, GraphGate.Priority.CLEANUP)).isEqualTo(1);
    }
}
