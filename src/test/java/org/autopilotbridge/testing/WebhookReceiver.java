package org.autopilotbridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

/**
 * A webhook receiver (a Teams workflow or a Slack incoming webhook, as far as the service can tell) on a free
 * loopback port. It keeps every request, and answers 200, or an error for the first N requests that mention a text.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String pathAndQuery, String contentType, String body) {
    }

    private final List<Request> requests = new ArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final LoopbackServer server = new LoopbackServer(this::handle);

    public String url() {
        return server.url();
    }

    /** Answers 500 to the first {@code times} requests whose body contains {@code text}. */
    public void failFirst(String text, int times) {
        failuresLeft.put(text, new AtomicInteger(times));
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
        boolean fail = failuresLeft.entrySet().stream()
                .anyMatch(e -> body.contains(e.getKey()) && e.getValue().getAndDecrement() > 0);
        exchange.sendResponseHeaders(fail ? 500 : 200, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.close();
    }
}
