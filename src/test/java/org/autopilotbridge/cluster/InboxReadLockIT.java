package org.autopilotbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.autopilotbridge.testing.PostgresLedger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inbox's read lock on a real PostgreSQL ledger, as several instances use it: instances reaching the same newly
 * dropped files at the same moment each get a file only if no other did, a lapsed lock is taken over by one of
 * them, a lock kept alive does not lapse, and only its holder releases a lock.
 */
class InboxReadLockIT {

    private static final int INSTANCES = 4;
    private static final int FILES = 150;
    private static final long MAX_AGE = 2_000;

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2 * INSTANCES);

    private static CamelContext camel;

    @BeforeAll
    static void camel() {
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void close() throws Exception {
        camel.close();
    }

    @Test
    void eachNewFileIsLockedByOneOfTheInstancesReachingItAtOnce() throws Exception {
        List<InboxReadLock> locks = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            locks.add(started("race"));
        }
        Map<String, AtomicInteger> winners = new ConcurrentHashMap<>();
        CyclicBarrier together = new CyclicBarrier(INSTANCES);
        ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
        List<Future<?>> running = new ArrayList<>();
        for (InboxReadLock lock : locks) {
            running.add(instances.submit(() -> {
                for (int file = 1; file <= FILES; file++) {
                    String key = "/shared/inbox/file-" + file + ".csv";
                    together.await();
                    boolean got;
                    try {
                        got = lock.add(key);
                    } catch (RuntimeException e) {
                        // Camel's read lock takes an exception from the repository as "not acquired".
                        got = false;
                    }
                    if (got) {
                        winners.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> instance : running) {
            instance.get();
        }
        instances.shutdown();

        assertThat(winners).as("every file locked").hasSize(FILES);
        assertThat(winners.values()).as("by exactly one instance").allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }

    @Test
    void aLapsedLockIsTakenOverAndALockKeptAliveIsNot() throws Exception {
        InboxReadLock dead = started("lapse");
        InboxReadLock alive = started("lapse");
        InboxReadLock other = started("lapse");
        assertThat(dead.add("/shared/inbox/dead.csv")).isTrue();
        assertThat(alive.add("/shared/inbox/alive.csv")).isTrue();
        assertThat(other.add("/shared/inbox/dead.csv")).as("held").isFalse();

        // The dead instance's lock lapses after MAX_AGE while the living one keeps its own alive.
        Awaitility.await("the dead instance's lock lapsed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(MAX_AGE / 4))
                .until(() -> {
                    alive.keepAlive();
                    return other.add("/shared/inbox/dead.csv");
                });

        assertThat(other.add("/shared/inbox/alive.csv")).as("kept alive").isFalse();
        assertThat(LEDGER.jdbc().queryForObject(
                "SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'lapse'", Integer.class)).isEqualTo(2);
    }

    @Test
    void aLockIsReleasedOnlyByTheInstanceHoldingIt() {
        InboxReadLock reader = started("release");
        InboxReadLock other = started("release");
        assertThat(reader.add("/shared/inbox/read.csv")).isTrue();

        // What Camel's file consumer does with the files of a poll it could not lock.
        assertThat(other.remove("/shared/inbox/read.csv")).as("not the other's to release").isFalse();
        assertThat(other.add("/shared/inbox/read.csv")).as("still held").isFalse();

        assertThat(reader.remove("/shared/inbox/read.csv")).isTrue();
        assertThat(other.add("/shared/inbox/read.csv")).as("free once its holder released it").isTrue();
    }

    private static InboxReadLock started(String processorName) {
        InboxReadLock lock = new InboxReadLock(LEDGER.dataSource(), processorName, camel);
        lock.setLockMaxAgeMillis(MAX_AGE);
        lock.setLockKeepAliveIntervalMillis(MAX_AGE / 4);
        lock.start();
        return lock;
    }
}
