package org.autopilotbridge.wake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run of a stage works on several batches at once and must never hold back work that arrives while one batch waits
 * a long time (a tenant waiting out its Graph outage): new work is taken up while the waiting batch still runs.
 */
class BatchWorkersTest {

    private CamelContext camel;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void takesUpWorkThatArrivesWhileAnotherPieceStillRuns() throws Exception {
        BatchWorkers workers = new BatchWorkers(camel, this, "test-workers", 4);
        ConcurrentLinkedQueue<String> ledger = new ConcurrentLinkedQueue<>(List.of("held"));
        CountDownLatch outageOver = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();

        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> workers.drain(
                () -> Optional.ofNullable(ledger.poll()),
                batch -> {
                    if (batch.equals("held")) {
                        await(outageOver);
                    }
                    done.add(batch);
                },
                batch -> { }));
        // The held batch is claimed and waits; only then does another tenant's batch arrive in the ledger.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(ledger::isEmpty);
        ledger.add("arrived later");

        Awaitility.await("the batch that arrived while the other waited").atMost(Duration.ofSeconds(10))
                .until(() -> done.contains("arrived later"));
        assertThat(done).doesNotContain("held");
        outageOver.countDown();
        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(done).containsExactly("arrived later", "held");
    }

    @Test
    void aRunEndsWhenNothingIsLeftAndNothingRuns() {
        BatchWorkers workers = new BatchWorkers(camel, this, "test-workers", 2);
        ConcurrentLinkedQueue<String> ledger = new ConcurrentLinkedQueue<>(List.of("a", "b", "c"));
        List<String> done = new CopyOnWriteArrayList<>();

        assertThat(workers.drain(() -> Optional.ofNullable(ledger.poll()), done::add, batch -> { })).isEqualTo(3);
        assertThat(done).containsExactlyInAnyOrder("a", "b", "c");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
