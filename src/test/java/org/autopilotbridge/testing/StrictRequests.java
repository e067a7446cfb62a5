package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * Request bodies read the way Graph's OData reader reads them, so that the service is tested against Graph's
 * strictness and not against a lenient parser: a body needs a Content-Length that matches what arrives (chunked
 * bodies are refused with 411), the JSON content type, and exactly one JSON value with nothing after it; and an
 * entity's properties must be known and of their declared type. Every refusal has Graph's error shape and words.
 */
final class StrictRequests {

    /** Graph's answer to a body its reader cannot take. */
    static final String UNREADABLE = "Unable to read JSON request payload. Please ensure Content-Type header is set "
            + "and payload is of valid JSON format.";

    /**
     * A request Graph refuses, with the status and error code it answers. {@code malformed}: no Graph would read it (its
     * framing, JSON, properties, parameters or URL), as opposed to a refusal a test asks for; the service never sends one.
     */
    static final class Refused extends Exception {
        final int status;
        final String code;
        final boolean malformed;

        Refused(int status, String code, String message) {
            this(status, code, message, false);
        }

        /** The body ended with its connection before its Content-Length: its sender stopped, or sent too little. */
        final boolean torn;

        private Refused(int status, String code, String message, boolean malformed) {
            this(status, code, message, malformed, false);
        }

        private Refused(int status, String code, String message, boolean malformed, boolean torn) {
            super(message);
            this.status = status;
            this.code = code;
            this.malformed = malformed;
            this.torn = torn;
        }

        static Refused malformed(int status, String code, String message) {
            return new Refused(status, code, message, true);
        }

        static Refused torn(String message) {
            return new Refused(400, "BadRequest", message, true, true);
        }
    }

    /** The OData type of each property of an entity Graph takes, as far as the service sends it. */
    enum Type { STRING, INT, OBJECT }

    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * The connection's raw input behind an exchange ({@code ExchangeImpl.ris}), to see bytes past the Content-Length:
     * the JDK's server reads exactly Content-Length bytes and would take the rest for the next request. The tests'
     * JVMs open the package for this (pom.xml, argLine).
     */
    private static final Method EXCHANGE_IMPL;
    private static final Field RAW_INPUT;

    static {
        try {
            Class<?> impl = Class.forName("sun.net.httpserver.ExchangeImpl");
            EXCHANGE_IMPL = impl.getDeclaredMethod("get", HttpExchange.class);
            EXCHANGE_IMPL.setAccessible(true);
            RAW_INPUT = impl.getDeclaredField("ris");
            RAW_INPUT.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("The Graph stand-in checks bodies against their Content-Length on the "
                    + "connection itself: run it with --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED (" + e + ")");
        }
    }

    private StrictRequests() {
    }

    /**
     * The request's body as raw bytes, checked for framing: a method that carries a body (POST, PATCH, PUT) must say
     * its length, and get exactly that many bytes. A bodyless POST still sends {@code Content-Length: 0}.
     */
    static byte[] body(HttpExchange exchange) throws IOException, Refused {
        String method = exchange.getRequestMethod();
        String transfer = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes;
            try {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                // The connection ended before the bytes Content-Length promised.
                throw Refused.torn("The request body ended before its Content-Length " + declared
                        + " (" + e.getMessage() + ").");
            }
            if (!Set.of("POST", "PATCH", "PUT").contains(method)) {
                return bytes;
            }
            if (transfer != null && transfer.toLowerCase().contains("chunked")) {
                throw Refused.malformed(411, "LengthRequired", "Chunked request bodies are not supported; send Content-Length.");
            }
            if (declared == null) {
                throw Refused.malformed(411, "LengthRequired", "Length Required: the request has no Content-Length.");
            }
            if (Long.parseLong(declared.strip()) != bytes.length) {
                throw Refused.malformed(400, "BadRequest", "Content-Length " + declared + " does not match the "
                        + bytes.length + " bytes received.");
            }
            int more = bytesAfterBody(exchange);
            if (more > 0) {
                // Graph would read these as the start of the next request, and answer that with 400.
                throw Refused.malformed(400, "BadRequest", "The body is longer than its Content-Length " + declared + ": "
                        + more + " more byte(s) followed it.");
            }
            return bytes;
        }
    }

    /**
     * The bytes that arrived on the connection after the body: a client that writes its body at once sends them in the
     * same write, so they are there when the body's last byte is. (Clients that pipeline requests would be caught as
     * well; neither the service's nor the JDK's HTTP client does.)
     */
    private static int bytesAfterBody(HttpExchange exchange) throws IOException {
        try {
            return ((InputStream) RAW_INPUT.get(EXCHANGE_IMPL.invoke(null, exchange))).available();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body as one JSON object, or Graph's refusal when its reader cannot take it. */
    static JsonNode json(HttpExchange exchange, byte[] body) throws Refused {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw Refused.malformed(400, "BadRequest", UNREADABLE);
        }
        return object(body);
    }

    /** One JSON object and nothing after it, as Graph's reader takes a payload ("Multiple top-level values"). */
    static JsonNode object(byte[] body) throws Refused {
        try {
            JsonNode node = READER.readTree(body);
            if (node == null || !node.isObject()) {
                throw Refused.malformed(400, "BadRequest", UNREADABLE);
            }
            return node;
        } catch (IOException e) {
            throw Refused.malformed(400, "BadRequest", UNREADABLE);
        }
    }

    /** Every property of {@code entity} must be one of {@code schema}'s, with a value of its type (or null). */
    static void conforms(JsonNode entity, String typeName, Map<String, Type> schema) throws Refused {
        for (Iterator<Map.Entry<String, JsonNode>> it = entity.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            Type type = schema.get(property.getKey());
            if (type == null) {
                throw Refused.malformed(400, "BadRequest", "The property '" + property.getKey()
                        + "' does not exist on type '" + typeName + "'. Make sure to only use property names that are "
                        + "defined by the type.");
            }
            JsonNode value = property.getValue();
            boolean fits = value.isNull() || switch (type) {
                case STRING -> value.isTextual();
                case INT -> value.isIntegralNumber();
                case OBJECT -> value.isObject();
            };
            if (!fits) {
                throw Refused.malformed(400, "BadRequest", "Cannot convert a value of JSON type '" + value.getNodeType()
                        + "' of property '" + property.getKey() + "' to the expected type '" + type + "'.");
            }
        }
    }
}
