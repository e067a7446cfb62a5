package org.autopilotbridge.graph;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.hc.client5.http.classic.methods.HttpPost;

/**
 * Graph JSON batching: many small requests, 20 to a {@code $batch} call, each answered on its own and in any
 * order. Items Graph throttles (429) or cannot serve (5xx) are sent again after the longest Retry-After among them
 * (which, as for any 429, holds back every call), within the same retry bounds as any call, and then until Graph
 * serves them ({@link GraphOutage}). A POST action is a write
 * like any other: it is sent again only when Graph surely did not act on it (429, 503), and a $batch call carrying
 * one is never sent again blindly; whoever sent it learns that its fate is unknown.
 */
class JsonBatch {

    /** Graph takes at most 20 requests per $batch call. */
    static final int LIMIT = 20;

    /** One request inside a batch: its URL relative to the Graph version root, and a JSON body or null. */
    record Request(String method, String url, JsonNode body) {
        /** Reads and deletes come to the same whatever happened before; an action (POST) may not. */
        boolean repeatable() {
            return !method.equals("POST");
        }
    }

    /** The answer to one request; status 0 when it got none within the retry bounds. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /**
         * The request's failure, as a call's would be; a write with no answer or a 5xx may have been carried out all
         * the same.
         */
        GraphException failure() {
            return GraphException.fromErrorBody(status, body, null, null, status == 0 || status >= 500, null);
        }
    }

    private final URI graph;
    private final GraphCalls calls;
    private final ObjectMapper json;
    private final ObjectReader treeReader;

    JsonBatch(URI graph, GraphCalls calls, ObjectMapper json) {
        this.graph = graph;
        this.calls = calls;
        this.json = json;
        this.treeReader = json.readerFor(JsonNode.class);
    }

    /** Sends every request; returns their answers in the order of the requests. */
    List<Answer> send(List<Request> requests, GraphGate.Priority priority) throws GraphException {
        return send(GraphClient.base(graph), requests, priority);
    }

    /** As above, to the $batch of the Graph version at {@code root}, to which the requests' URLs are relative. */
    List<Answer> send(String root, List<Request> requests, GraphGate.Priority priority) throws GraphException {
        Answer[] answers = new Answer[requests.size()];
        // Each $batch call has attempts of its own; all of them wait within one autopilot.retry.max-wait.
        RetryPolicy.Attempts attempts = calls.attempts();
        for (int from = 0, size; from < requests.size(); from += size, attempts = attempts.nextCall()) {
            size = size(requests, from, () -> calls.roomForWrites(priority));
            List<Integer> pending = new ArrayList<>();
            for (int i = from; i < from + size; i++) {
                pending.add(i);
            }
            while (!pending.isEmpty()) {
                Round round = sendOnce(root, requests, pending, answers, priority, attempts);
                pending = round.again();
                if (pending.isEmpty()) {
                    break;
                }
                Optional<Duration> delay = attempts.next(round.retryAfter());
                if (delay.isEmpty() && !pending.stream().allMatch(i -> requests.get(i).repeatable())) {
                    // Actions go back to their stage, which checks its lease before it sends them again.
                    calls.outage().failing(answers[pending.get(0)].failure());
                    break;
                }
                // Reads and deletes still throttled or unserved when the retries are spent wait out the outage.
                calls.pause(delay.orElseGet(() -> calls.outage().failing(answers[round.again().get(0)].failure())));
            }
        }
        return Arrays.asList(answers);
    }

    /**
     * How many requests from {@code from} go in the next $batch call: as many as Graph takes, but no more writes than
     * {@code writeRoom} says the budget has room for (it waits for room for one), so that a clean-up fills the window
     * instead of waiting, writes unspent, for room for a whole 20 (which left a fifth of Intune's budget unused: 80 of
     * its 100 writes).
     */
    static int size(List<Request> requests, int from, IntSupplier writeRoom) {
        int size = 0;
        int writes = 0;
        // Asked only for a batch that writes: on a shared ledger the window is a query, and most batches only read.
        Integer room = null;
        while (from + size < requests.size() && size < LIMIT) {
            boolean write = !requests.get(from + size).method().equals("GET");
            if (write && room == null) {
                room = writeRoom.getAsInt();
            }
            if (write && writes == room) {
                break;
            }
            writes += write ? 1 : 0;
            size++;
        }
        return size;
    }

    /** Every request inside the batch counts on its own, and so does the $batch call that carries them. */
    private static GraphGate.Cost cost(List<Request> requests, List<Integer> indexes, GraphGate.Priority priority) {
        int writes = (int) indexes.stream().filter(i -> !requests.get(i).method().equals("GET")).count();
        return new GraphGate.Cost(priority, indexes.size() + 1, writes);
    }

    /** What one $batch call left to send again, and the longest Retry-After its throttled items asked for. */
    private record Round(List<Integer> again, Duration retryAfter) {
    }

    private Round sendOnce(String root, List<Request> requests, List<Integer> indexes, Answer[] answers,
                           GraphGate.Priority priority, RetryPolicy.Attempts attempts) throws GraphException {
        ArrayNode items = json.createArrayNode();
        for (int index : indexes) {
            Request request = requests.get(index);
            ObjectNode item = items.addObject().put("id", String.valueOf(index)).put("method", request.method())
                    .put("url", request.url());
            if (request.body() != null) {
                item.set("body", request.body());
                item.putObject("headers").put("Content-Type", "application/json");
            }
            answers[index] = new Answer(0, MissingNode.getInstance());
        }
        ObjectNode body = json.createObjectNode();
        body.set("requests", items);
        JsonBody entity = JsonBody.of(json, body);
        String url = root + "/$batch";
        JsonNode responses = calls.<JsonNode>send(() -> {
            HttpPost post = new HttpPost(URI.create(url));
            post.setEntity(entity);
            return post;
        }, indexes.stream().allMatch(i -> requests.get(i).repeatable()) ? GraphCalls.Kind.IDEMPOTENT : GraphCalls.Kind.WRITE,
                cost(requests, indexes, priority), treeReader, attempts.nextCall()).body().path("responses");
        List<Integer> again = new ArrayList<>();
        Duration longest = null;
        for (JsonNode response : responses) {
            int index = response.path("id").asInt(-1);
            if (!indexes.contains(index)) {
                continue;
            }
            int status = response.path("status").asInt();
            answers[index] = new Answer(status, response.path("body"));
            if (status != 0 && RetryPolicy.retryable(status, requests.get(index).repeatable())) {
                again.add(index);
                Duration told = calls.serverWait(response.path("headers").path("Retry-After").asText(null));
                if (status == 429) {
                    told = calls.throttled(told);
                }
                if (told != null && (longest == null || told.compareTo(longest) > 0)) {
                    longest = told;
                }
            }
        }
        for (int index : indexes) {
            if (answers[index].status() == 0 && !again.contains(index) && RetryPolicy.retryable(0, requests.get(index).repeatable())) {
                again.add(index);
            }
        }
        if (indexes.stream().noneMatch(i -> answers[i].status() == 429)) {
            calls.notThrottled();
        }
        return new Round(again, longest);
    }
}
