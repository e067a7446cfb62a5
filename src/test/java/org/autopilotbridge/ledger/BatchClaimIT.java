package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.autopilotbridge.testing.PostgresLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Instances on one PostgreSQL ledger claiming batches at the same moment, each with its own connections, as the
 * service's workers do: every batch is leased to exactly one of them. The claim must hold without a surrounding
 * transaction, since the ledger's own methods call it directly.
 */
class BatchClaimIT {

    private static final int BATCHES = 300;
    private static final int INSTANCES = 4;

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2 * INSTANCES);

    @Test
    void everyDueBatchIsLeasedToExactlyOneOfTheInstancesClaimingAtOnce() throws Exception {
        JdbcTemplate jdbc = LEDGER.jdbc();
        long fileId = LEDGER.recordedFile("due.csv");
        for (int seq = 1; seq <= BATCHES; seq++) {
            jdbc.update("""
                    INSERT INTO import_batch (file_id, seq, import_id, status, created_at, next_poll_at)
                    VALUES (?, ?, ?, 'TRACKING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP - INTERVAL '1 minute')""",
                    fileId, seq, "claim-" + seq);
        }
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            BatchLedger ledger = new BatchLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("node-" + i));
            running.add(instances.submit(() -> {
                start.await();
                for (Optional<ImportBatch> batch = ledger.claimDue(Instant.now(), Set.of("default")); batch.isPresent();
                     batch = ledger.claimDue(Instant.now(), Set.of("default"))) {
                    claimed.add(batch.get().id());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> instance : running) {
            instance.get();
        }
        instances.shutdown();

        assertThat(claimed).as("each batch claimed once").doesNotHaveDuplicates().hasSize(BATCHES);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT lease_owner) FROM import_batch", Integer.class))
                .as("the instances shared the work").isGreaterThan(1);
    }
}
