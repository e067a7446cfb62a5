package org.autopilotbridge.wake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.autopilotbridge.graph.StoppingException;

/**
 * Works on several batches (of devices to import, follow, clean up or update) at once, on up to
 * {@code autopilot.graph-concurrency} threads per tenant, because each batch's work mostly waits on Graph. The next
 * batch is taken only when a thread is free, so no more batches are claimed in the ledger than are being worked on,
 * and none once the service is stopping; a tenant that has its share in flight is passed over, so that one tenant
 * waiting for its Graph budget never takes the threads another tenant's work needs. Each run waits for all of its
 * work, so a stopping route still finishes what it has in flight.
 */
public final class BatchWorkers {

    /** How often a run with work in flight looks for new work that came meanwhile. */
    static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

    private final CamelContext camel;
    private final ExecutorService threads;
    private final int perTenant;
    private final int width;

    public BatchWorkers(CamelContext camel, Object owner, String name, int perTenant, int tenants) {
        this.camel = camel;
        this.perTenant = perTenant;
        this.width = perTenant * tenants;
        this.threads = camel.getExecutorServiceManager().newFixedThreadPool(owner, name, width);
    }

    /**
     * Takes batches from {@code next} while it has one, working on up to width of them at once; {@code next} is given
     * the tenants (by {@code tenantOf}) that have their share in flight, whose work it must pass over. A batch whose
     * work failed is given to {@code release}, so that its lease goes back at once instead of running out. While work
     * is still running, {@code next} is asked again as each piece ends and at least every {@link #LOOK_AGAIN}: one
     * tenant's batch waiting out its Graph outage must not keep another tenant's new batches waiting for this run.
     */
    public <T> int drain(Function<Set<String>, Optional<T>> next, Function<T, String> tenantOf, Consumer<T> work,
                         Consumer<T> release) {
        Semaphore free = new Semaphore(width);
        Semaphore ended = new Semaphore(0);
        Map<String, Integer> inFlight = new HashMap<>();
        List<Future<?>> running = new ArrayList<>();
        try {
            while (!camel.isStopping()) {
                free.acquireUninterruptibly();
                Optional<T> batch = next.apply(full(inFlight));
                if (batch.isEmpty()) {
                    free.release();
                    if (free.availablePermits() == width || !awaitEnd(ended)) {
                        break;
                    }
                    continue;
                }
                String tenant = tenantOf.apply(batch.get());
                count(inFlight, tenant, 1);
                running.add(threads.submit(() -> {
                    try {
                        work.accept(batch.get());
                    } catch (RuntimeException e) {
                        release.accept(batch.get());
                        throw e;
                    } finally {
                        count(inFlight, tenant, -1);
                        free.release();
                        ended.release();
                    }
                }));
            }
        } finally {
            awaitAll(running);
        }
        return running.size();
    }

    private Set<String> full(Map<String, Integer> inFlight) {
        synchronized (inFlight) {
            Set<String> full = new HashSet<>();
            inFlight.forEach((tenant, pieces) -> {
                if (pieces >= perTenant) {
                    full.add(tenant);
                }
            });
            return full;
        }
    }

    private static void count(Map<String, Integer> inFlight, String tenant, int change) {
        synchronized (inFlight) {
            inFlight.merge(tenant, change, Integer::sum);
        }
    }

    /** Waits until a piece of work ends or {@link #LOOK_AGAIN} passes; false when interrupted. */
    private static boolean awaitEnd(Semaphore ended) {
        try {
            ended.tryAcquire(LOOK_AGAIN.toMillis(), TimeUnit.MILLISECONDS);
            ended.drainPermits();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for every piece of work; the first unexpected failure is rethrown once all have ended. */
    private static void awaitAll(List<Future<?>> running) {
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<?> future : running) {
            while (true) {
                try {
                    future.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StoppingException) {
                        // The service is stopping: the batch's work is left in the ledger for the next start.
                        break;
                    }
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
