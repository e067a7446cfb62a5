package org.autopilotbridge.graph;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A Graph call that did not succeed. {@code status} 0 means no answer arrived. {@code fateUnknown} marks a write
 * that may have been carried out although no success came back (a timeout, a 504): it must not be re-sent blindly.
 */
public class GraphException extends Exception {

    private final int status;
    private final String code;
    private final String requestId;
    private final String clientRequestId;
    private final boolean fateUnknown;
    private final Duration retryAfter;

    public GraphException(int status, String code, String message, String requestId, String clientRequestId,
                          boolean fateUnknown) {
        this(status, code, message, requestId, clientRequestId, fateUnknown, null);
    }

    /**
     * Graph's answer {@code status} with its error body ({@code {"error": {"code", "message", "innerError": {"request-id"}}}}),
     * as a failure; {@code requestId} is the header's, used when the body names none.
     */
    static GraphException fromErrorBody(int status, JsonNode body, String requestId, String clientRequestId,
                                        boolean fateUnknown, Duration retryAfter) {
        JsonNode error = body == null ? MissingNode.getInstance() : body.path("error");
        if (!error.isObject()) {
            return new GraphException(status, null, "answer without a Graph error body", requestId, clientRequestId,
                    fateUnknown, retryAfter);
        }
        return new GraphException(status, error.path("code").asText(null), error.path("message").asText(""),
                error.path("innerError").path("request-id").asText(requestId), clientRequestId, fateUnknown, retryAfter);
    }

    public GraphException(int status, String code, String message, String requestId, String clientRequestId,
                          boolean fateUnknown, Duration retryAfter) {
        super(message);
        this.status = status;
        this.code = code;
        this.requestId = requestId;
        this.clientRequestId = clientRequestId;
        this.fateUnknown = fateUnknown;
        this.retryAfter = retryAfter;
    }

    public int status() { return status; }
    public String code() { return code; }
    String requestId() { return requestId; }
    public boolean fateUnknown() { return fateUnknown; }

    /**
     * Status, Graph's code and message, without the ids of the request: the same for every call that fails for the
     * same reason, so an outage is one incident.
     */
    public String reason() {
        StringBuilder sb = new StringBuilder();
        sb.append(status == 0 ? "no answer from Graph" : "Graph answered " + status);
        if (code != null) {
            sb.append(' ').append(code);
        }
        if (getMessage() != null && !getMessage().isBlank()) {
            sb.append(": ").append(getMessage());
        }
        return sb.toString();
    }

    /** What Graph's Retry-After header asked for, if it sent one. */
    public Duration retryAfter() { return retryAfter; }

    /** Graph refused the request as it is (400): sending it again unchanged would be refused again. */
    public boolean refused() {
        return status == 400;
    }

    /** One line for reports: status, Graph's code and message, and the ids a Microsoft support case needs. */
    public String describe() {
        StringBuilder sb = new StringBuilder(reason());
        if (requestId != null || clientRequestId != null) {
            sb.append(" (");
            if (requestId != null) {
                sb.append("request-id ").append(requestId).append(clientRequestId != null ? ", " : "");
            }
            if (clientRequestId != null) {
                sb.append("client-request-id ").append(clientRequestId);
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
