package org.autopilotbridge.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import org.autopilotbridge.testing.GraphAnswers.Answer;
import org.autopilotbridge.testing.StrictRequests.Refused;

import static org.autopilotbridge.testing.GraphAnswers.JSON;

/**
 * Graph JSON batching as the stand-in serves it: the checks on a $batch payload, the budget and scripted throttling of
 * each request in it, and the order of the answers. Tests reach it through {@link GraphStandIn#batches()}.
 */
public final class GraphBatch {

    private static final Set<String> BATCH_METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE");

    /** A request inside a $batch, answered as if it came on its own (reads, deletes, registered devices' actions). */
    interface Resource {
        Answer answer(HttpExchange exchange, String method, String relative, Map<String, String> query, JsonNode body)
                throws Refused;
    }

    private final GraphFaults faults;
    private final GraphRefusals refusals;
    private final AtomicInteger batchCalls = new AtomicInteger();
    /** How many requests each $batch call of reads only carried, in order. */
    private final List<Integer> readBatchSizes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger throttleBatchDeletes = new AtomicInteger();
    /** Every DELETE inside a $batch call, in the order they came, with the status each was answered. */
    private final List<GraphStandIn.BatchDelete> deletes = Collections.synchronizedList(new ArrayList<>());
    /** Answers in a $batch in the order of its requests; by default not, as Graph promises no order without dependsOn. */
    private volatile boolean batchInRequestOrder;

    GraphBatch(GraphFaults faults, GraphRefusals refusals) {
        this.faults = faults;
        this.refusals = refusals;
    }

    /**
     * Graph JSON batching: at most 20 requests with unique ids, each a method and a URL relative to the version
     * root, a body only with its Content-Type; each answered on its own.
     */
    Answer batch(HttpExchange exchange, JsonNode body, Resource resource) throws Refused {
        batchCalls.incrementAndGet();
        if (body.path("requests").isArray() && body.path("requests").findValuesAsText("method").stream().allMatch("GET"::equals)) {
            readBatchSizes.add(body.path("requests").size());
        }
        JsonNode items = body.path("requests");
        if (body.size() != 1 || !items.isArray() || items.isEmpty()) {
            throw Refused.malformed(400, "BadRequest", "Invalid batch payload format.");
        }
        if (items.size() > 20) {
            throw Refused.malformed(400, "BadRequest", "Limit of 20 requests per batch exceeded.");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode item : items) {
            String id = item.path("id").asText("");
            String url = item.path("url").asText("");
            if (!item.path("id").isTextual() || !ids.add(id) || !BATCH_METHODS.contains(item.path("method").asText())
                    || !url.startsWith("/") || (item.has("body") && !item.path("headers").has("Content-Type"))) {
                throw Refused.malformed(400, "BadRequest", "Invalid batch request " + item);
            }
        }
        ArrayNode responses = JSON.createArrayNode();
        for (JsonNode item : items) {
            ObjectNode response = responses.addObject().put("id", item.path("id").asText());
            Answer answer = faults.throttle(exchange, item.path("method").asText());
            if (answer == null && item.path("method").asText().equals("DELETE")
                    && throttleBatchDeletes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answer = new Answer(429, null, Map.of("Retry-After", "1"));
            }
            if (answer == null) {
                String url = item.path("url").asText();
                int q = url.indexOf('?');
                try {
                    answer = resource.answer(exchange, item.path("method").asText(), q < 0 ? url : url.substring(0, q),
                            q < 0 ? Map.of() : GraphAnswers.form(url.substring(q + 1)), item.get("body"));
                } catch (Refused e) {
                    answer = refusals.refused(exchange, exchange.getRequestMethod() + " " + exchange.getRequestURI()
                            + " request " + item.path("id").asText() + ": " + item.path("method").asText() + " " + url, e);
                }
            }
            if (item.path("method").asText().equals("DELETE")) {
                deletes.add(new GraphStandIn.BatchDelete(item.path("url").asText(), answer.status(), System.currentTimeMillis()));
            }
            response.put("status", answer.status());
            if (!answer.headers().isEmpty()) {
                ObjectNode headers = response.putObject("headers");
                answer.headers().forEach(headers::put);
            }
            if (answer.body() != null) {
                response.set("body", answer.body());
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        if (batchInRequestOrder) {
            answer.set("responses", responses);
        } else {
            ArrayNode reversed = answer.putArray("responses");
            for (int i = responses.size() - 1; i >= 0; i--) {
                reversed.add(responses.get(i));
            }
        }
        return new Answer(200, answer);
    }

    /** JSON $batch calls. */
    public int calls() { return batchCalls.get(); }

    /** The number of requests in each $batch call that only read, in the order received. */
    public List<Integer> readSizes() {
        return List.copyOf(readBatchSizes);
    }

    /** The next {@code count} DELETE requests inside $batch calls are answered 429 with Retry-After: 1. */
    public void throttleNextDeletes(int count) {
        throttleBatchDeletes.set(count);
    }

    /** Every DELETE sent inside a $batch call so far, in the order they came, each with its answer. */
    public List<GraphStandIn.BatchDelete> deletes() {
        synchronized (deletes) {
            return List.copyOf(deletes);
        }
    }

    /**
     * Whether a $batch's answers come in the order of its requests. Graph promises no order for requests without
     * {@code dependsOn}, so by default the stand-in answers them in reverse: a service that pairs answers with requests
     * by position instead of by id fails every test that batches more than one request.
     */
    public void answerInRequestOrder(boolean inOrder) {
        batchInRequestOrder = inOrder;
    }
}
