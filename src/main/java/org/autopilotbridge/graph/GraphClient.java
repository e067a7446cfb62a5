package org.autopilotbridge.graph;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.autopilotbridge.config.GraphProperties;

/**
 * The Graph calls autopilot-bridge makes on importedWindowsAutopilotDeviceIdentities and the Autopilot settings.
 * Retries, tokens, lanes and throttling are {@link GraphCalls}' business; many small requests go through
 * {@link JsonBatch}. One per tenant ({@link TenantGraphs}).
 */
public class GraphClient {

    static final String COLLECTION = "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
    private static final String LISTED_PROPERTIES = "id,serialNumber,importId,state";
    private static final GraphGate.Cost WRITE_IMPORT = new GraphGate.Cost(GraphGate.Priority.IMPORT, 1, 1);
    private static final GraphGate.Cost READ = new GraphGate.Cost(GraphGate.Priority.READ, 1, 0);

    private final GraphProperties properties;
    private final URI graph;
    private final GraphCalls calls;
    private final JsonBatch batch;
    private final ObjectMapper json;
    private final ObjectReader pageReader;
    private final ObjectReader identityReader;

    GraphClient(GraphProperties properties, URI graph, GraphCalls calls, JsonBatch batch, ObjectMapper json) {
        this.properties = properties;
        this.graph = graph;
        this.calls = calls;
        this.batch = batch;
        this.json = json;
        this.pageReader = json.readerFor(new TypeReference<GraphPage<ImportedDeviceIdentity>>() { });
        this.identityReader = json.readerFor(ImportedDeviceIdentity.class);
    }

    /** Takes one page of staged records; returns false to stop listing. */
    @FunctionalInterface
    public interface PageHandler {
        boolean accept(List<ImportedDeviceIdentity> records);
    }

    /** What reading staged records by id found: the records, and the ids Graph no longer has. */
    public record StagedReads(Map<String, ImportedDeviceIdentity> records, List<String> gone, int unanswered) {
    }

    /** Sends devices through the import action; Graph answers with the created records. */
    public List<ImportedDeviceIdentity> importDevices(List<ImportedDeviceIdentity> devices) throws GraphException {
        JsonBody body = JsonBody.of(json, new ImportRequest(devices));
        GraphPage<ImportedDeviceIdentity> page = calls.<GraphPage<ImportedDeviceIdentity>>send(
                () -> post(collection() + "/import", body), GraphCalls.Kind.WRITE, WRITE_IMPORT, pageReader).body();
        return page.value() == null ? List.of() : page.value();
    }

    /** Registers one device through the create endpoint; Graph gives the record its own id as importId. */
    public ImportedDeviceIdentity create(ImportedDeviceIdentity device) throws GraphException {
        JsonBody body = JsonBody.of(json, device);
        return calls.<ImportedDeviceIdentity>send(() -> post(collection(), body), GraphCalls.Kind.WRITE, WRITE_IMPORT,
                identityReader).body();
    }

    /**
     * Lists staged records a page at a time, following {@code @odata.nextLink}, so that no more than a page is ever
     * held. With an importId it asks for that import's records only ({@code $filter}), without hashes
     * ({@code $select}) and a batch to a page ({@code $top}): Graph documents none of these options for this list,
     * and may honour, refuse (400) or ignore each of them, so callers check what comes back. Without an importId it
     * lists every staged record with no query option at all.
     */
    public void listStaged(String importId, PageHandler handler) throws GraphException {
        String url = collection();
        if (importId != null) {
            String filter = URLEncoder.encode("importId eq '" + importId.replace("'", "''") + "'", StandardCharsets.UTF_8)
                    .replace("+", "%20");
            url += "?$filter=" + filter + "&$select=" + LISTED_PROPERTIES + "&$top=" + properties.getBatchSize();
        }
        GraphPage<ImportedDeviceIdentity> page = read(url, pageReader, READ);
        while (page != null && handler.accept(page.value() == null ? List.of() : page.value())) {
            page = nextPage(page.nextLink(), pageReader, READ);
        }
    }

    /** The page a next link points to (read only on the Graph host itself), or null when there is none. */
    <T> T nextPage(String nextLink, ObjectReader reader, GraphGate.Cost cost) throws GraphException {
        String url = sameHost(nextLink);
        return url == null ? null : read(url, reader, cost);
    }

    private <T> T read(String url, ObjectReader reader, GraphGate.Cost cost) throws GraphException {
        return calls.<T>send(() -> new HttpGet(URI.create(url)), GraphCalls.Kind.IDEMPOTENT, cost, reader).body();
    }

    /**
     * One plain read of the staged records (the first page, no query options) that is never retried: the preflight
     * check's proof that Graph answers this app for them. Returns how many records that page holds.
     */
    public int readStagedRecords() throws GraphException {
        GraphPage<ImportedDeviceIdentity> page = calls.<GraphPage<ImportedDeviceIdentity>>send(
                () -> new HttpGet(URI.create(collection())), GraphCalls.Kind.ONCE, READ, pageReader).body();
        return page.value() == null ? 0 : page.value().size();
    }

    /** Reads staged records by id, 20 to a JSON $batch call instead of one call each. */
    public StagedReads readStaged(List<String> ids) throws GraphException {
        List<JsonBatch.Request> requests = ids.stream()
                .map(id -> new JsonBatch.Request("GET", COLLECTION + "/" + encode(id), null)).toList();
        List<JsonBatch.Answer> answers = batch.send(requests, GraphGate.Priority.READ);
        Map<String, ImportedDeviceIdentity> records = new HashMap<>();
        List<String> gone = new ArrayList<>();
        int unanswered = 0;
        for (int i = 0; i < ids.size(); i++) {
            JsonBatch.Answer answer = answers.get(i);
            if (answer.status() == 404) {
                gone.add(ids.get(i));
            } else if (answer.ok() && answer.body().isObject()) {
                records.put(ids.get(i), treeAs(identityReader, answer.body()));
            } else {
                unanswered++;
            }
        }
        return new StagedReads(records, gone, unanswered);
    }

    /**
     * Deletes staged records, 20 to a JSON $batch call; a record that is already gone counts as deleted. Returns how
     * many could not be deleted.
     */
    public int deleteAll(List<String> ids) throws GraphException {
        List<JsonBatch.Request> requests = ids.stream()
                .map(id -> new JsonBatch.Request("DELETE", COLLECTION + "/" + encode(id), null)).toList();
        return (int) batch.send(requests, GraphGate.Priority.CLEANUP).stream().filter(a -> !a.ok() && a.status() != 404).count();
    }

    /**
     * Asks Intune to sync with the Autopilot service, once: Graph allows one sync per 10 minutes and answers
     * 429 (too soon) or 409 (a sync is running) otherwise, which the caller turns into a later try.
     */
    public void requestAutopilotSync() throws GraphException {
        String url = base(graph) + "/deviceManagement/windowsAutopilotSettings/sync";
        // A POST without a body still says so: Content-Length: 0.
        calls.send(() -> post(url, new ByteArrayEntity(new byte[0], ContentType.APPLICATION_JSON)), GraphCalls.Kind.ONCE,
                new GraphGate.Cost(GraphGate.Priority.CLEANUP, 1, 1), null);
    }

    /** The Graph base URL with its version, without a trailing slash. */
    static String base(URI graph) {
        return AccessTokenProvider.stripSlash(graph.toString());
    }

    /**
     * The root of Graph's beta version beside the configured one: its last path segment (v1.0) becomes beta, so a
     * national cloud or a stand-in keeps its host. Only what v1.0 lacks is read there (deployment profiles).
     */
    static String beta(URI graph) {
        String base = base(graph);
        return base.substring(0, base.lastIndexOf('/') + 1) + "beta";
    }

    /** One answer inside a $batch, read as {@code reader} reads its type. */
    static <T> T treeAs(ObjectReader reader, JsonNode node) throws GraphException {
        try {
            return reader.readValue(node);
        } catch (IOException | IllegalArgumentException e) {
            throw new GraphException(200, "UnreadableAnswer", "Graph answered with a record that cannot be read", null,
                    null, false);
        }
    }

    private HttpPost post(String url, HttpEntity body) {
        HttpPost post = new HttpPost(URI.create(url));
        post.setEntity(body);
        return post;
    }

    private String collection() {
        return base(graph) + COLLECTION;
    }

    static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /**
     * A next link is followed only on the Graph host itself and with its scheme, so the token never goes anywhere
     * else, nor in clear text to the right host.
     */
    private String sameHost(String nextLink) throws GraphException {
        if (nextLink == null) {
            return null;
        }
        URI next = URI.create(nextLink);
        if (!graph.getScheme().equalsIgnoreCase(next.getScheme()) || !graph.getAuthority().equalsIgnoreCase(next.getAuthority())) {
            throw new GraphException(200, "UnexpectedNextLink", "Graph's next page points to another host or scheme: "
                    + next.getScheme() + "://" + next.getAuthority(), null, null, false);
        }
        return nextLink;
    }
}
