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
 * A run of a stage works on several batches at once and must never let one tenant hold back another: work that arrives
 * while one batch waits a long time (a tenant waiting out its Graph outage) is taken up while that batch still runs,
 * and a tenant with its share of threads in flight is passed over while another tenant has work.
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
        BatchWorkers workers = new BatchWorkers(camel, this, "test-workers", 4, 1);
        ConcurrentLinkedQueue<String> ledger = new ConcurrentLinkedQueue<>(List.of("held"));
        CountDownLatch outageOver = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();

        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> workers.drain(
                busy -> Optional.ofNullable(ledger.poll()), batch -> "contoso",
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
        BatchWorkers workers = new BatchWorkers(camel, this, "test-workers", 2, 1);
        ConcurrentLinkedQueue<String> ledger = new ConcurrentLinkedQueue<>(List.of("a", "b", "c"));
        List<String> done = new CopyOnWriteArrayList<>();

        assertThat(workers.drain(busy -> Optional.ofNullable(ledger.poll()), batch -> "contoso", done::add, batch -> { }))
                .isEqualTo(3);
        assertThat(done).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void aTenantWithItsShareInFlightIsPassedOverForAnother() throws Exception {
        BatchWorkers workers = new BatchWorkers(camel, this, "test-workers", 1, 2);
        // contoso's batches are the oldest in the ledger; each waits for contoso's Graph budget.
        List<String> ledger = new CopyOnWriteArrayList<>(List.of("contoso-1", "contoso-2", "fabrikam-1"));
        CountDownLatch contosoBudget = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();

        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> workers.drain(
                busy -> ledger.stream().filter(batch -> !busy.contains(tenant(batch))).findFirst().map(batch -> {
                    ledger.remove(batch);
                    return batch;
                }), BatchWorkersTest::tenant,
                batch -> {
                    if (tenant(batch).equals("contoso")) {
                        await(contosoBudget);
                    }
                    done.add(batch);
                },
                batch -> { }));

        Awaitility.await("fabrikam's batch, while contoso's first one waits").atMost(Duration.ofSeconds(10))
                .until(() -> done.contains("fabrikam-1"));
        assertThat(ledger).as("contoso's second batch waits for contoso's share").containsExactly("contoso-2");
        contosoBudget.countDown();
        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(done).containsExactly("fabrikam-1", "contoso-1", "contoso-2");
    }

    private static String tenant(String batch) {
        return batch.substring(0, batch.indexOf('-'));
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
