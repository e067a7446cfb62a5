package org.autopilotbridge.testing;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import org.autopilotbridge.testing.StrictRequests.Refused;

/**
 * How the parts of {@link GraphStandIn} write Graph's answers: the answer and scripted-answer records, Graph's error
 * body, pages with next links, and the small parsing helpers they share. Package-private: only the stand-in's parts
 * use it, tests see none of it.
 */
final class GraphAnswers {

    /** One mapper for every part of the stand-in; Jackson's mapper is safe to share between threads. */
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer given instead of the normal one; {@code storeFirst}: Graph acts, then the answer is lost. */
    record Scripted(int status, Integer retryAfter, boolean storeFirst) {
    }

    /** An answer: status, JSON body (or null) and headers. */
    record Answer(int status, JsonNode body, Map<String, String> headers) {
        Answer(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    private GraphAnswers() {
    }

    static Answer error(HttpExchange exchange, int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", code).put("message", message);
        error.putObject("innerError").put("date", Instant.now().toString()).put("request-id", UUID.randomUUID().toString())
                .put("client-request-id", String.valueOf(exchange.getRequestHeaders().getFirst("client-request-id")));
        return new Answer(status, body);
    }

    static void send(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(answer.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A page of a list, with its {@code @odata.nextLink} (a skip token) when {@code nextSkip} is not negative. */
    static ObjectNode page(Supplier<String> graphUrl, ArrayNode value, String collection, Map<String, String> query,
            int nextSkip) {
        ObjectNode answer = JSON.createObjectNode();
        answer.set("value", value);
        if (nextSkip >= 0) {
            Map<String, String> next = new LinkedHashMap<>(query);
            next.put("$skiptoken", String.valueOf(nextSkip));
            StringBuilder link = new StringBuilder(graphUrl.get() + collection);
            next.forEach((k, v) -> link.append(link.indexOf("?") < 0 ? '?' : '&').append(k).append('=').append(encode(v)));
            answer.put("@odata.nextLink", link.toString());
        }
        return answer;
    }

    /**
     * A {@code $skiptoken} or {@code $top}: a whole number (0 when absent), or the 400 Graph answers. The stand-in's own
     * skip tokens are numbers, so another one is a next link the service changed.
     */
    static int count(Map<String, String> query, String option) throws Refused {
        String value = query.get(option);
        if (value == null) {
            return 0;
        }
        if (!value.matches("\\d{1,9}")) {
            throw Refused.malformed(400, "BadRequest", "Invalid value '" + value + "' for the query option " + option + ".");
        }
        return Integer.parseInt(value);
    }

    static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.put(key, value);
        }
        return values;
    }

    /** Percent-encoding for next links, with spaces as %20 as Graph writes them. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void script(Deque<Scripted> script, int count, Scripted answer) {
        for (int i = 0; i < count; i++) {
            script.add(answer);
        }
    }
}
