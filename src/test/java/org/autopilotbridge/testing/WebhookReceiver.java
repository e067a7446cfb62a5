package org.autopilotbridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

/**
 * A webhook receiver (a Teams workflow or a Slack incoming webhook, as far as the service can tell) on a free
 * loopback port. It keeps every request, and answers 200, or an error for the first N requests that mention a text, or
 * holds the first request that mentions a text unanswered until the test releases it.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String pathAndQuery, String contentType, String body) {
    }

    private final List<Request> requests = new ArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final LoopbackServer server = new LoopbackServer(this::handle);

    public String url() {
        return server.url();
    }

    /** Answers 500 to the first {@code times} requests whose body contains {@code text}. */
    public void failFirst(String text, int times) {
        failuresLeft.put(text, new AtomicInteger(times));
    }

    /** Leaves the first request whose body contains {@code text} unanswered until {@link #release}; later ones are answered. */
    public void holdFirst(String text) {
        holds.put(text, new CountDownLatch(1));
    }

    /** Answers the request {@link #holdFirst} held. */
    public void release(String text) {
        holds.get(text).countDown();
    }

    /** The requests so far whose body contains {@code text}. */
    public synchronized List<Request> requestsMentioning(String text) {
        return requests.stream().filter(r -> r.body().contains(text)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (this) {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
        }
        for (Map.Entry<String, CountDownLatch> hold : holds.entrySet()) {
            if (body.contains(hold.getKey()) && held.add(hold.getKey())) {
                awaitRelease(hold.getValue());
            }
        }
        boolean fail = failuresLeft.entrySet().stream()
                .anyMatch(e -> body.contains(e.getKey()) && e.getValue().getAndDecrement() > 0);
        exchange.sendResponseHeaders(fail ? 500 : 200, -1);
        exchange.close();
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            // Bounded, so that a test that fails before it releases the request does not keep the thread.
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        holds.values().forEach(CountDownLatch::countDown);
        server.close();
    }
}
