package org.autopilotbridge.graph;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.ops.ServiceEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Graph calls autopilot-bridge makes. Throttling (429) and unavailability (503) are retried as
 * {@link RetryPolicy} decides, a 429's Retry-After holding back every call; a 401 fetches a new token once; a write
 * whose outcome cannot be known is reported as such instead of being repeated. Every request carries a
 * {@code client-request-id}, and every failure carries it with Graph's {@code request-id}. Calls from several
 * threads share {@code autopilot.graph-concurrency} lanes.
 */
@Component
public class GraphClient {

    private static final Logger LOG = LoggerFactory.getLogger(GraphClient.class);
    private static final String COLLECTION = "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
    /** Graph JSON batching takes at most 20 requests per call. */
    private static final int BATCH_LIMIT = 20;
    private static final String LISTED_PROPERTIES = "id,serialNumber,importId,state";

    private final AutopilotProperties properties;
    private final AccessTokenProvider tokens;
    private final GraphHttp http;
    private final RetryPolicy retry;
    private final ObjectMapper json;
    private final ServiceEvents events;
    /** At most graph-concurrency calls in flight, whichever route makes them. */
    private final Semaphore inFlight;

    GraphClient(AutopilotProperties properties, AccessTokenProvider tokens, GraphHttp http, RetryPolicy retry,
                ObjectMapper json, ServiceEvents events) {
        this.properties = properties;
        this.tokens = tokens;
        this.http = http;
        this.retry = retry;
        this.json = json;
        this.events = events;
        this.inFlight = new Semaphore(properties.getGraphConcurrency(), true);
    }

    /** How a call may be repeated when it fails. */
    private enum Call {
        /** Safe to repeat whatever happened: reads and deletes. */
        IDEMPOTENT,
        /** Repeated only when Graph surely did not act on it: 429, 503, or never sent. */
        WRITE,
        /** Not repeated: the caller decides when to try again (the Autopilot sync). */
        ONCE
    }

    /** Sends devices through the import action; Graph answers with the created records. */
    public List<ImportedDeviceIdentity> importDevices(List<ImportedDeviceIdentity> devices) throws GraphException {
        JsonBody body = JsonBody.of(json, new ImportRequest(devices));
        GraphHttp.Response response = send(() -> post(collection() + "/import", body), Call.WRITE);
        return read(response, GraphPage.class).value();
    }

    /** Registers one device through the create endpoint. */
    public ImportedDeviceIdentity create(ImportedDeviceIdentity device) throws GraphException {
        JsonBody body = JsonBody.of(json, device);
        return read(send(() -> post(collection(), body), Call.WRITE), ImportedDeviceIdentity.class);
    }

    /** Every record carrying this importId (id, serial number and state), following {@code @odata.nextLink}. */
    public List<ImportedDeviceIdentity> listByImportId(String importId) throws GraphException {
        String filter = URLEncoder.encode("importId eq '" + importId.replace("'", "''") + "'", StandardCharsets.UTF_8)
                .replace("+", "%20");
        List<ImportedDeviceIdentity> all = new ArrayList<>();
        // Only what following needs: without the 4,000-character hashes a page is about 1% of the size. $top asks
        // for a whole batch in one page; Graph may page smaller, and its next links are followed either way.
        String url = collection() + "?$filter=" + filter + "&$select=" + LISTED_PROPERTIES
                + "&$top=" + properties.getBatchSize();
        while (url != null) {
            String page = url;
            GraphPage result = read(send(() -> new HttpGet(URI.create(page)), Call.IDEMPOTENT), GraphPage.class);
            if (result.value() != null) {
                all.addAll(result.value());
            }
            url = sameHost(result.nextLink());
        }
        return all;
    }

    /**
     * One plain read of the staged records (the first page, no query options) that is never retried: the preflight
     * check's proof that Graph answers this app for them. Returns how many records that page holds.
     */
    public int readStagedRecords() throws GraphException {
        GraphPage page = read(send(() -> new HttpGet(URI.create(collection())), Call.ONCE), GraphPage.class);
        return page.value() == null ? 0 : page.value().size();
    }

    /**
     * Deletes imported records, 20 to a Graph JSON {@code $batch} call instead of one call each. Items Graph
     * throttles (429) or cannot serve (5xx) inside a batch are sent again after its Retry-After (which, as for any
     * 429, holds back every call); a record that is already gone counts as deleted. Returns how many could not be
     * deleted.
     */
    public int deleteAll(List<String> ids) throws GraphException {
        int notDeleted = 0;
        for (int from = 0; from < ids.size(); from += BATCH_LIMIT) {
            List<String> pending = ids.subList(from, Math.min(ids.size(), from + BATCH_LIMIT));
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                BatchAnswer answer = deleteBatch(pending);
                notDeleted += answer.failed();
                pending = answer.again();
                if (!pending.isEmpty() && attempt >= retry.maxAttempts()) {
                    notDeleted += pending.size();
                    break;
                }
                if (!pending.isEmpty()) {
                    RetryPolicy.sleep(retry.delay(attempt, answer.retryAfter()));
                }
            }
        }
        return notDeleted;
    }

    /** What a $batch of deletes came back with: items to send again, items that failed, the longest Retry-After. */
    private record BatchAnswer(List<String> again, int failed, String retryAfter) {
    }

    private BatchAnswer deleteBatch(List<String> ids) throws GraphException {
        ArrayNode requests = json.createArrayNode();
        for (int i = 0; i < ids.size(); i++) {
            requests.addObject().put("id", String.valueOf(i)).put("method", "DELETE")
                    .put("url", COLLECTION + "/" + URLEncoder.encode(ids.get(i), StandardCharsets.UTF_8));
        }
        ObjectNode body = json.createObjectNode();
        body.set("requests", requests);
        JsonBody text = JsonBody.of(json, body);
        String url = AccessTokenProvider.stripSlash(properties.graph().toString()) + "/$batch";
        JsonNode responses = read(send(() -> post(url, text), Call.IDEMPOTENT), JsonNode.class).path("responses");
        List<String> again = new ArrayList<>();
        int failed = 0;
        long longestWait = -1;
        for (JsonNode item : responses) {
            int index = item.path("id").asInt(-1);
            int status = item.path("status").asInt();
            if (index < 0 || index >= ids.size() || (status >= 200 && status < 300) || status == 404) {
                continue;
            }
            if (status == 429 || status >= 500) {
                again.add(ids.get(index));
                String retryAfter = item.path("headers").path("Retry-After").asText(null);
                Duration told = RetryPolicy.parseRetryAfter(retryAfter);
                longestWait = Math.max(longestWait, told == null ? -1 : told.toSeconds());
                if (status == 429) {
                    throttled(retryAfter);
                }
            } else {
                failed++;
            }
        }
        return new BatchAnswer(again, failed, longestWait < 0 ? null : String.valueOf(longestWait));
    }

    /**
     * Asks Intune to sync with the Autopilot service, once: Graph allows one sync per 10 minutes and answers
     * 429 (too soon) or 409 (a sync is running) otherwise, which the caller turns into a later try.
     */
    public void requestAutopilotSync() throws GraphException {
        String url = AccessTokenProvider.stripSlash(properties.graph().toString()) + "/deviceManagement/windowsAutopilotSettings/sync";
        send(() -> post(url, new ByteArrayEntity(new byte[0], ContentType.APPLICATION_JSON)), Call.ONCE);
    }

    private GraphHttp.Response send(Supplier<HttpUriRequestBase> request, Call kind) throws GraphException {
        boolean tokenRenewed = false;
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            String token = tokens.token();
            HttpUriRequestBase call = request.get();
            String clientRequestId = UUID.randomUUID().toString();
            call.setHeader("Authorization", "Bearer " + token);
            call.setHeader("Accept", "application/json");
            call.setHeader("client-request-id", clientRequestId);
            call.setHeader("return-client-request-id", "true");
            GraphHttp.Response response;
            GraphException failure;
            String retryAfter = null;
            try {
                events.graphCall();
                inFlight.acquireUninterruptibly();
                try {
                    // Cleared only once a lane is free: a Retry-After that came while this call queued holds it too.
                    waited = waited.plus(retry.awaitClearance());
                    response = http.execute(call);
                    retryAfter = response.retryAfter();
                    if (response.status() == 429) {
                        throttled(retryAfter);
                    }
                } finally {
                    inFlight.release();
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
                Duration told = RetryPolicy.parseRetryAfter(retryAfter);
                failure = failure(response, clientRequestId, kind == Call.WRITE && response.status() == 504, told);
                if (!retryable(kind, response.status())) {
                    throw reported(call, failure);
                }
            } catch (IOException e) {
                boolean neverSent = e instanceof ConnectException || e instanceof ConnectTimeoutException;
                failure = new GraphException(0, e.getClass().getSimpleName(), e.getMessage(), null, clientRequestId,
                        kind == Call.WRITE && !neverSent);
                if (kind == Call.ONCE || failure.fateUnknown()) {
                    throw reported(call, failure);
                }
            }
            Duration delay = retry.delay(attempt, retryAfter);
            if (attempt >= retry.maxAttempts() || !retry.mayWait(waited, delay)) {
                LOG.warn("Graph {} {} gave up after {} attempts: {}", call.getMethod(), call.getPath(), attempt, failure.describe());
                throw reported(call, failure);
            }
            LOG.warn("Graph {} {}: {}; attempt {} of {}, retrying in {} ms", call.getMethod(), call.getPath(),
                    failure.describe(), attempt, retry.maxAttempts(), delay.toMillis());
            RetryPolicy.sleep(delay);
            waited = waited.plus(delay);
        }
    }

    /** Holds back every call before this one's lane is given to the next, so none slips out in between. */
    private void throttled(String retryAfter) {
        events.throttled();
        Duration told = RetryPolicy.parseRetryAfter(retryAfter);
        if (told != null) {
            retry.holdAll(told);
        }
    }

    private GraphException reported(HttpUriRequestBase call, GraphException failure) {
        events.error("Graph " + call.getMethod() + " " + call.getPath() + ": " + failure.describe());
        return failure;
    }

    private static boolean retryable(Call kind, int status) {
        return switch (kind) {
            case ONCE -> false;
            case WRITE -> status == 429 || status == 503;
            case IDEMPOTENT -> status == 429 || status >= 500;
        };
    }

    private GraphException failure(GraphHttp.Response response, String clientRequestId, boolean fateUnknown,
                                   Duration retryAfter) {
        String code = null;
        String message;
        String requestId = response.requestId();
        JsonNode error = response.body().path("error");
        if (error.isObject()) {
            code = error.path("code").asText(null);
            message = error.path("message").asText("");
            requestId = error.path("innerError").path("request-id").asText(requestId);
        } else {
            message = "answer without a Graph error body";
        }
        return new GraphException(response.status(), code, message, requestId, clientRequestId, fateUnknown, retryAfter);
    }

    private HttpPost post(String url, HttpEntity body) {
        HttpPost post = new HttpPost(URI.create(url));
        post.setEntity(body);
        return post;
    }

    private String collection() {
        return AccessTokenProvider.stripSlash(properties.graph().toString()) + COLLECTION;
    }

    /** A next link is followed only on the Graph host itself, so the token never goes anywhere else. */
    private String sameHost(String nextLink) throws GraphException {
        if (nextLink == null) {
            return null;
        }
        URI next = URI.create(nextLink);
        if (!properties.graph().getAuthority().equalsIgnoreCase(next.getAuthority())) {
            throw new GraphException(200, "UnexpectedNextLink", "Graph's next page points to another host: " + next.getHost(), null, null, false);
        }
        return nextLink;
    }

    /** The answer as {@code type}; an answer without JSON, or with JSON of another shape, is a failure. */
    private <T> T read(GraphHttp.Response response, Class<T> type) throws GraphException {
        if (!response.body().isMissingNode()) {
            try {
                return json.treeToValue(response.body(), type);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // reported below, as an answer that cannot be read
            }
        }
        throw new GraphException(response.status(), "UnreadableAnswer", "Graph answered with JSON that cannot be read",
                response.requestId(), null, false);
    }
}
