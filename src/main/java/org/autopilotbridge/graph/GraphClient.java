package org.autopilotbridge.graph;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.autopilotbridge.AutopilotProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Graph calls autopilot-bridge makes, on importedWindowsAutopilotDeviceIdentities. Throttling (429) and
 * unavailability (503) are retried as Graph asks; a 401 fetches a new token once; a write whose outcome cannot be
 * known is reported as such instead of being repeated.
 */
@Component
public class GraphClient {

    private static final Logger LOG = LoggerFactory.getLogger(GraphClient.class);
    private static final String COLLECTION = "/deviceManagement/importedWindowsAutopilotDeviceIdentities";

    private final AutopilotProperties properties;
    private final AccessTokenProvider tokens;
    private final GraphHttp http;
    private final ObjectMapper json;

    GraphClient(AutopilotProperties properties, AccessTokenProvider tokens, GraphHttp http, ObjectMapper json) {
        this.properties = properties;
        this.tokens = tokens;
        this.http = http;
        this.json = json;
    }

    /** Sends devices through the import action; Graph answers with the created records. */
    public List<ImportedDeviceIdentity> importDevices(List<ImportedDeviceIdentity> devices) throws GraphException {
        String body = write(new ImportRequest(devices));
        GraphHttp.Response response = send(() -> post(collection() + "/import", body), false);
        return read(response, GraphPage.class).value();
    }

    /** Registers one device through the create endpoint. */
    public ImportedDeviceIdentity create(ImportedDeviceIdentity device) throws GraphException {
        String body = write(device);
        return read(send(() -> post(collection(), body), false), ImportedDeviceIdentity.class);
    }

    /** Every record carrying this importId, following {@code @odata.nextLink} through all pages. */
    public List<ImportedDeviceIdentity> listByImportId(String importId) throws GraphException {
        String filter = URLEncoder.encode("importId eq '" + importId.replace("'", "''") + "'", StandardCharsets.UTF_8)
                .replace("+", "%20");
        List<ImportedDeviceIdentity> all = new ArrayList<>();
        String url = collection() + "?$filter=" + filter;
        while (url != null) {
            String page = url;
            GraphPage result = read(send(() -> new HttpGet(URI.create(page)), true), GraphPage.class);
            if (result.value() != null) {
                all.addAll(result.value());
            }
            url = sameHost(result.nextLink());
        }
        return all;
    }

    /** Deletes an imported record; one that is already gone counts as deleted. */
    public void delete(String id) throws GraphException {
        try {
            send(() -> new HttpDelete(URI.create(collection() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8))), true);
        } catch (GraphException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    private GraphHttp.Response send(Supplier<HttpUriRequestBase> request, boolean idempotent) throws GraphException {
        boolean tokenRenewed = false;
        for (int attempt = 1; ; attempt++) {
            String token = tokens.token();
            HttpUriRequestBase call = request.get();
            String clientRequestId = UUID.randomUUID().toString();
            call.setHeader("Authorization", "Bearer " + token);
            call.setHeader("Accept", "application/json");
            call.setHeader("client-request-id", clientRequestId);
            GraphHttp.Response response;
            try {
                response = http.execute(call);
            } catch (IOException e) {
                boolean neverSent = e instanceof ConnectException || e instanceof ConnectTimeoutException;
                if ((idempotent || neverSent) && attempt < RetryPolicy.MAX_ATTEMPTS) {
                    waitBeforeRetry(call, attempt, null, e.getClass().getSimpleName());
                    continue;
                }
                throw new GraphException(0, e.getClass().getSimpleName(), e.getMessage() + " (client-request-id "
                        + clientRequestId + ")", null, !(idempotent || neverSent));
            }
            if (response.ok()) {
                return response;
            }
            if (response.status() == 401 && !tokenRenewed) {
                tokens.invalidate(token);
                tokenRenewed = true;
                attempt--;
                continue;
            }
            boolean retryable = response.status() == 429 || response.status() == 503 || (idempotent && response.status() >= 500);
            if (retryable && attempt < RetryPolicy.MAX_ATTEMPTS) {
                waitBeforeRetry(call, attempt, response.retryAfter(), String.valueOf(response.status()));
                continue;
            }
            throw failure(response, clientRequestId, !idempotent && response.status() == 504);
        }
    }

    private static void waitBeforeRetry(HttpUriRequestBase call, int attempt, String retryAfter, String why) {
        java.time.Duration delay = RetryPolicy.delay(attempt, retryAfter);
        LOG.warn("Graph {} {} answered {}; attempt {} of {}, retrying in {} ms", call.getMethod(), call.getPath(),
                why, attempt, RetryPolicy.MAX_ATTEMPTS, delay.toMillis());
        RetryPolicy.sleep(delay);
    }

    private GraphException failure(GraphHttp.Response response, String clientRequestId, boolean fateUnknown) {
        String code = null;
        String message = "";
        String requestId = response.requestId();
        try {
            JsonNode error = json.readTree(response.body()).path("error");
            code = error.path("code").asText(null);
            message = error.path("message").asText("");
            JsonNode inner = error.path("innerError");
            requestId = inner.path("request-id").asText(requestId);
        } catch (IOException | RuntimeException e) {
            message = "answer without a Graph error body";
        }
        if (requestId == null) {
            requestId = "client-request-id " + clientRequestId;
        }
        return new GraphException(response.status(), code, message, requestId, fateUnknown);
    }

    private HttpPost post(String url, String body) {
        HttpPost post = new HttpPost(URI.create(url));
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return post;
    }

    private String collection() {
        return AccessTokenProvider.stripSlash(properties.getGraphUrl().toString()) + COLLECTION;
    }

    /** A next link is followed only on the Graph host itself, so the token never goes anywhere else. */
    private String sameHost(String nextLink) throws GraphException {
        if (nextLink == null) {
            return null;
        }
        URI next = URI.create(nextLink);
        if (!properties.getGraphUrl().getAuthority().equalsIgnoreCase(next.getAuthority())) {
            throw new GraphException(200, "UnexpectedNextLink", "Graph's next page points to another host: " + next.getHost(), null, false);
        }
        return nextLink;
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Graph request body", e);
        }
    }

    private <T> T read(GraphHttp.Response response, Class<T> type) throws GraphException {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new GraphException(response.status(), "UnreadableAnswer", "Graph answered with JSON that cannot be read", response.requestId(), false);
        }
    }
}
