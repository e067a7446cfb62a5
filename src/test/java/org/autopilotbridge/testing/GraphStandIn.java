package org.autopilotbridge.testing;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;

import org.awaitility.Awaitility;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A local, stateful stand-in for the Entra ID token endpoint and Graph's importedWindowsAutopilotDeviceIdentities,
 * on a free loopback port. It checks what Graph checks (bearer token, known properties only, padded base64 for
 * Edm.Binary, batch size), keeps the records it creates, moves them from unknown through pending to a final
 * state as they are polled, pages lists through {@code @odata.nextLink}, and can throttle.
 *
 * <p>What happens to a device is chosen by a marker in its serial number: {@code -R806-} and {@code -R808-}
 * end in those errors, {@code -RERR-} in a generic import error, {@code -RSTUCK-} never leaves pending and
 * {@code -RREFUSE-} makes Graph refuse any request carrying it with 400. Faults can be scripted: throttling,
 * 503, lost answers (Graph acts, the caller gets 504), token endpoint failures, and sync answers; the sync
 * endpoint itself keeps Graph's one-sync-per-10-minutes rule.
 */
public final class GraphStandIn implements AutoCloseable {

    public static final String TENANT = "contoso-test";
    public static final String CLIENT_ID = "7f0c1c9e-client";
    private static final String ODATA_TYPE = "#microsoft.graph.importedWindowsAutopilotDeviceIdentity";
    private static final Set<String> PROPERTIES = Set.of("@odata.type", "id", "groupTag", "serialNumber", "productKey",
            "importId", "hardwareIdentifier", "assignedUserPrincipalName", "state");
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final String COLLECTION = "/v1.0/deviceManagement/importedWindowsAutopilotDeviceIdentities";
    private static final String SYNC = "/v1.0/deviceManagement/windowsAutopilotSettings/sync";
    private static final String BATCH = "/v1.0/$batch";
    /** Signs the access tokens the stand-in issues; one per test JVM, as Entra ID has a few for everyone. */
    private static final RSAKey TOKEN_KEY = tokenKey();

    /** One import action (or sync) call as Graph received it. */
    public record ImportCall(List<String> serials, int status, long atMillis) {
    }

    /** One Graph call (not the token endpoint), as it arrived. */
    public record Received(String method, String path, long atMillis) {
    }

    /** An answer given instead of the normal one; {@code storeFirst}: Graph acts, then the answer is lost. */
    private record Scripted(int status, Integer retryAfter, boolean storeFirst) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String clientSecret;
    private final LoopbackServer server;
    private final Map<String, ObjectNode> records = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> polls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> registrations = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> lastSent = new ConcurrentHashMap<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final List<ImportCall> importCalls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger createCalls = new AtomicInteger();
    private final AtomicInteger listPages = new AtomicInteger();
    private final AtomicInteger deletes = new AtomicInteger();
    private final AtomicInteger batchCalls = new AtomicInteger();
    private final AtomicInteger throttleBatchItems = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Deque<Scripted> importScript = new ConcurrentLinkedDeque<>();
    private final Deque<Scripted> tokenScript = new ConcurrentLinkedDeque<>();
    private final Deque<Scripted> syncScript = new ConcurrentLinkedDeque<>();
    private final List<ImportCall> syncCalls = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> assertionIds = ConcurrentHashMap.newKeySet();
    private volatile Instant lastSync = Instant.MIN;
    private volatile X509Certificate certificate;
    private volatile SignedJWT lastAssertion;
    /** Without $top, records come 100 to a page; $top is honoured up to this, 1,000 unless a test says otherwise. */
    private volatile int maxPageSize = 1000;
    private volatile Duration importDelay = Duration.ZERO;
    private volatile int maxBatch = 500;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean settleAtOnce;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    /** The application permissions in each new token's roles claim; Entra ID leaves the claim out when there are none. */
    private volatile List<String> roles = List.of("DeviceManagementServiceConfig.ReadWrite.All");
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    public GraphStandIn(String clientSecret) {
        this.clientSecret = clientSecret;
        this.server = new LoopbackServer(this::handle);
    }

    public String baseUrl() {
        return server.url();
    }

    /** The tenant settings as command-line arguments, for a service in a JVM of its own. */
    public List<String> arguments() {
        return List.of("--autopilot.tenant-id=" + TENANT, "--autopilot.client-id=" + CLIENT_ID,
                "--autopilot.client-secret=" + clientSecret, "--autopilot.authority-url=" + baseUrl(),
                "--autopilot.graph-url=" + graphUrl());
    }

    /** Points the service at this stand-in as its tenant, with the client secret (or none, for certificates). */
    public void register(DynamicPropertyRegistry registry, boolean withSecret) {
        registry.add("autopilot.tenant-id", () -> TENANT);
        registry.add("autopilot.client-id", () -> CLIENT_ID);
        if (withSecret) {
            registry.add("autopilot.client-secret", () -> clientSecret);
        }
        registry.add("autopilot.authority-url", this::baseUrl);
        registry.add("autopilot.graph-url", this::graphUrl);
    }

    public String tokenUrl() {
        return baseUrl() + "/" + TENANT + "/oauth2/v2.0/token";
    }

    public String graphUrl() {
        return baseUrl() + "/v1.0";
    }

    // ---- what tests look at and steer

    public int tokenRequests() { return tokenRequests.get(); }
    public int createCalls() { return createCalls.get(); }
    public int listPages() { return listPages.get(); }
    /** DELETE calls on single records (not counting deletes inside $batch calls). */
    public int deletes() { return deletes.get(); }
    /** JSON $batch calls. */
    public int batchCalls() { return batchCalls.get(); }

    /** The next {@code count} requests inside $batch calls are answered 429 with Retry-After: 1. */
    public void throttleNextBatchItems(int count) {
        throttleBatchItems.set(count);
    }
    public int unauthorized() { return unauthorized.get(); }
    public int requests() { return requests.get(); }
    /** How many imported records Graph still holds for serial numbers starting with {@code prefix}. */
    public long recordsWithSerialPrefix(String prefix) {
        synchronized (records) {
            return records.values().stream().filter(r -> r.path("serialNumber").asText().startsWith(prefix)).count();
        }
    }

    /** The largest page Graph serves, whatever $top asks for. */
    public void maxPageSize(int size) { maxPageSize = size; }

    /** The import calls whose devices' serial numbers start with {@code serialPrefix}. */
    public List<ImportCall> importCallsFor(String serialPrefix) {
        return importCalls().stream().filter(c -> !c.serials().isEmpty() && c.serials().get(0).startsWith(serialPrefix)).toList();
    }

    public List<ImportCall> importCalls() {
        synchronized (importCalls) {
            return List.copyOf(importCalls);
        }
    }

    /** How many times Graph created a record for this serial number (import or create). */
    public int registrations(String serial) {
        AtomicInteger n = registrations.get(serial);
        return n == null ? 0 : n.get();
    }

    /** The device object last accepted for this serial number, as it was sent. */
    public JsonNode lastSent(String serial) {
        return lastSent.get(serial);
    }

    /** Every token issued so far stops working, as after expiry: Graph answers 401 until a new one is fetched. */
    public void expireTokens() {
        validTokens.clear();
    }

    /** The next {@code count} import calls are answered 429 with Retry-After. */
    public void throttleNextImports(int count, int retryAfter) {
        script(importScript, count, new Scripted(429, retryAfter, false));
    }

    /** The next {@code count} import calls fail with {@code status} (503, 500...) and store nothing. */
    public void failNextImports(int count, int status) {
        script(importScript, count, new Scripted(status, null, false));
    }

    /** The next import call is carried out, but the caller gets a 504 instead of the answer. */
    public void loseNextImportAnswer() {
        script(importScript, 1, new Scripted(504, null, true));
    }

    /** The application permissions granted to the app (with admin consent), as new tokens will carry them. */
    public void grantRoles(String... granted) {
        roles = List.of(granted);
    }

    /** The next {@code count} token requests fail: 400 is a refused credential, 5xx a passing outage. */
    public void failNextTokenRequests(int count, int status) {
        script(tokenScript, count, new Scripted(status, null, false));
    }

    /** The next sync requests are answered with these statuses, each with Retry-After: 1. */
    public void answerNextSyncs(int... statuses) {
        for (int status : statuses) {
            syncScript.add(new Scripted(status, 1, false));
        }
    }

    /** Import calls are answered this long after they arrive, as a busy Graph answers. */
    /** How long every Graph call takes to answer, as over a real network: batching and pipelining only show with it. */
    public void latency(Duration delay) {
        latency = delay;
    }

    /** Every record is final at its first listing, as when Graph processes an import at once. */
    public void settleAtOnce() {
        settleAtOnce = true;
    }

    /** The most Graph calls that were being answered at the same moment. */
    public int maxConcurrentCalls() {
        return maxInFlight.get();
    }

    /** Every Graph call so far, in order of arrival. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until clean-up, which follows the reports, has deleted every imported record of these serials. */
    public void awaitCleanedUp(String serialPrefix) {
        Awaitility.await(serialPrefix + " records deleted").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> recordsWithSerialPrefix(serialPrefix) == 0);
    }

    /** How many imported records Graph holds. */
    public int storedRecords() {
        return records.size();
    }

    public void delayImports(Duration delay) {
        importDelay = delay;
    }

    /** The largest import call Graph accepts; larger ones are refused with 400. */
    public void maxBatch(int size) {
        maxBatch = size;
    }

    /** Token requests must carry a client assertion signed for this certificate. */
    public void expectCertificate(X509Certificate expected) {
        certificate = expected;
    }

    /** The last client assertion the token endpoint accepted. */
    public SignedJWT lastAssertion() {
        return lastAssertion;
    }

    public List<ImportCall> syncCalls() {
        synchronized (syncCalls) {
            return List.copyOf(syncCalls);
        }
    }

    private static void script(Deque<Scripted> script, int count, Scripted answer) {
        for (int i = 0; i < count; i++) {
            script.add(answer);
        }
    }

    // ---- the HTTP side

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/" + TENANT + "/oauth2/v2.0/token")) {
                token(exchange);
                return;
            }
            received.add(new Received(method, path, System.currentTimeMillis()));
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                graphCall(exchange, method, path);
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "InternalServerError", String.valueOf(e));
        }
    }

    private void graphCall(HttpExchange exchange, String method, String path) throws IOException {
        pause(latency);
        if (method.equals("POST") && path.equals(BATCH)) {
            if (authorized(exchange)) {
                batch(exchange);
            }
            return;
        }
        if (method.equals("POST") && path.equals(SYNC)) {
            if (authorized(exchange)) {
                sync(exchange);
            }
            return;
        }
        if (!path.startsWith(COLLECTION)) {
            error(exchange, 404, "ResourceNotFound", "no such resource " + path);
            return;
        }
        if (!authorized(exchange)) {
            return;
        }
        String rest = path.substring(COLLECTION.length());
        switch (method + " " + (rest.isEmpty() ? "" : rest.equals("/import") ? "/import" : "/{id}")) {
            case "POST /import" -> importAction(exchange);
            case "POST " -> create(exchange);
            case "GET " -> list(exchange);
            case "GET /{id}" -> get(exchange, rest.substring(1));
            case "DELETE /{id}" -> delete(exchange, rest.substring(1));
            default -> error(exchange, 405, "BadRequest", "method not allowed");
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
            unauthorized.incrementAndGet();
            error(exchange, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
            return false;
        }
        return true;
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Scripted scripted = tokenScript.poll();
        if (scripted != null && scripted.status() >= 500) {
            send(exchange, scripted.status(), json.createObjectNode().put("error", "temporarily_unavailable")
                    .put("error_description", "AADSTS50196: The server terminated an operation because it encountered a client request loop.\r\nTrace ID: 0000"));
            return;
        }
        boolean ok = scripted == null && "client_credentials".equals(form.get("grant_type"))
                && CLIENT_ID.equals(form.get("client_id")) && credentialValid(form)
                && form.getOrDefault("scope", "").endsWith("/.default");
        if (!ok) {
            ObjectNode body = json.createObjectNode()
                    .put("error", "invalid_client")
                    .put("error_description", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 0000\r\nCorrelation ID: 0000");
            send(exchange, 401, body);
            return;
        }
        String token = accessToken();
        validTokens.add(token);
        send(exchange, 200, json.createObjectNode().put("token_type", "Bearer").put("expires_in", 3599)
                .put("ext_expires_in", 3599).put("access_token", token));
    }

    /** An access token as Entra ID issues one: a JWT signed with RS256, for Graph, with the granted roles. */
    private String accessToken() {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .audience("https://graph.microsoft.com")
                .issuer("https://sts.windows.net/" + TENANT + "/")
                .claim("appid", CLIENT_ID)
                .claim("tid", TENANT)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3599)))
                .jwtID(UUID.randomUUID().toString());
        if (!roles.isEmpty()) {
            claims.claim("roles", roles);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(TOKEN_KEY.getKeyID()).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(TOKEN_KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A client secret, or a client assertion: signed by the expected certificate's key, for this endpoint. */
    private boolean credentialValid(Map<String, String> form) {
        if (certificate == null) {
            return clientSecret.equals(form.get("client_secret"));
        }
        try {
            SignedJWT jwt = SignedJWT.parse(form.getOrDefault("client_assertion", ""));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = Instant.now();
            boolean valid = TestCertificates.ASSERTION_TYPE.equals(form.get("client_assertion_type"))
                    && jwt.verify(new RSASSAVerifier((RSAPublicKey) certificate.getPublicKey()))
                    && TestCertificates.thumbprint(certificate).equals(jwt.getHeader().getX509CertSHA256Thumbprint())
                    && claims.getAudience().equals(List.of(tokenUrl()))
                    && CLIENT_ID.equals(claims.getIssuer()) && CLIENT_ID.equals(claims.getSubject())
                    && claims.getJWTID() != null && assertionIds.add(claims.getJWTID())
                    && !claims.getNotBeforeTime().toInstant().isAfter(now.plusSeconds(5))
                    && claims.getExpirationTime().toInstant().isAfter(now);
            if (valid) {
                lastAssertion = jwt;
            }
            return valid;
        } catch (ParseException | JOSEException | RuntimeException e) {
            return false;
        }
    }

    /** Graph JSON batching, for deletes of imported records: at most 20 requests, each answered on its own. */
    private void batch(HttpExchange exchange) throws IOException {
        batchCalls.incrementAndGet();
        JsonNode requests = json.readTree(exchange.getRequestBody()).path("requests");
        if (!requests.isArray() || requests.size() > 20) {
            error(exchange, 400, "BadRequest", "A batch holds at most 20 requests.");
            return;
        }
        ArrayNode responses = json.createArrayNode();
        String prefix = COLLECTION.substring("/v1.0".length()) + "/";
        for (JsonNode request : requests) {
            ObjectNode response = responses.addObject().put("id", request.path("id").asText());
            String url = request.path("url").asText();
            if (!"DELETE".equals(request.path("method").asText()) || !url.startsWith(prefix)) {
                response.put("status", 400);
            } else if (throttleBatchItems.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                response.put("status", 429);
                response.putObject("headers").put("Retry-After", "1");
            } else {
                response.put("status", records.remove(url.substring(prefix.length())) == null ? 404 : 204);
            }
        }
        ObjectNode answer = json.createObjectNode();
        answer.set("responses", responses);
        send(exchange, 200, answer);
    }

    private void sync(HttpExchange exchange) throws IOException {
        long at = System.currentTimeMillis();
        Scripted scripted = syncScript.poll();
        int status = scripted != null ? scripted.status()
                : Instant.now().isBefore(lastSync.plus(Duration.ofMinutes(10))) ? 429 : 204;
        syncCalls.add(new ImportCall(List.of(), status, at));
        if (status == 204) {
            lastSync = Instant.now();
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        long retryAfter = scripted != null ? scripted.retryAfter()
                : Duration.between(Instant.now(), lastSync.plus(Duration.ofMinutes(10))).toSeconds();
        exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfter));
        error(exchange, status, status == 409 ? "Conflict" : "TooManyRequests",
                status == 409 ? "A sync is already in progress." : "Sync can only be requested every 10 minutes.");
    }

    private void importAction(HttpExchange exchange) throws IOException {
        long at = System.currentTimeMillis();
        JsonNode body = json.readTree(exchange.getRequestBody());
        JsonNode devices = body.path("importedWindowsAutopilotDeviceIdentities");
        List<String> serials = new ArrayList<>();
        devices.forEach(d -> serials.add(d.path("serialNumber").asText()));
        Scripted scripted = importScript.poll();
        if (scripted != null) {
            importCalls.add(new ImportCall(serials, scripted.status(), at));
            if (scripted.storeFirst()) {
                devices.forEach(d -> store((ObjectNode) d));
            }
            if (scripted.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(scripted.retryAfter()));
            }
            error(exchange, scripted.status(), scripted.status() == 429 ? "TooManyRequests" : "ServiceUnavailable",
                    "Scripted failure.");
            return;
        }
        String problem = body.size() != 1 || !devices.isArray() ? "The request body must hold importedWindowsAutopilotDeviceIdentities only."
                : devices.size() > maxBatch ? "Too many devices in one import request." : null;
        for (Iterator<JsonNode> it = devices.elements(); problem == null && it.hasNext(); ) {
            problem = invalid(it.next());
        }
        importCalls.add(new ImportCall(serials, problem == null ? 200 : 400, at));
        pause(importDelay);
        if (problem != null) {
            error(exchange, 400, "BadRequest", problem);
            return;
        }
        ArrayNode created = json.createArrayNode();
        devices.forEach(d -> created.add(store((ObjectNode) d)));
        ObjectNode answer = json.createObjectNode().put("@odata.context", graphUrl() + "/$metadata#Collection(microsoft.graph.importedWindowsAutopilotDeviceIdentity)");
        answer.set("value", created);
        send(exchange, 200, answer);
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void create(HttpExchange exchange) throws IOException {
        createCalls.incrementAndGet();
        JsonNode device = json.readTree(exchange.getRequestBody());
        String problem = invalid(device);
        if (problem != null) {
            error(exchange, 400, "BadRequest", problem);
            return;
        }
        send(exchange, 201, store((ObjectNode) device));
    }

    /** Graph's own checks on one device object: what it refuses with 400. */
    private String invalid(JsonNode device) {
        for (Iterator<String> names = device.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PROPERTIES.contains(name)) {
                return "Could not find a property named '" + name + "' on type 'microsoft.graph.importedWindowsAutopilotDeviceIdentity'.";
            }
        }
        if (device.has("@odata.type") && !ODATA_TYPE.equals(device.get("@odata.type").asText())) {
            return "Invalid @odata.type";
        }
        String serial = device.path("serialNumber").asText("");
        if (serial.isBlank()) {
            return "serialNumber is required";
        }
        String hash = device.path("hardwareIdentifier").asText("");
        if (hash.length() % 4 != 0 || !decodes(hash)) {
            return "Cannot convert the literal '" + hash.substring(0, Math.min(20, hash.length())) + "...' to the expected type 'Edm.Binary'.";
        }
        if (serial.contains("-RREFUSE-")) {
            return "The hardware hash of " + serial + " cannot be parsed.";
        }
        return null;
    }

    private static boolean decodes(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private ObjectNode store(ObjectNode device) {
        String serial = device.path("serialNumber").asText();
        lastSent.put(serial, device.deepCopy());
        registrations.computeIfAbsent(serial, s -> new AtomicInteger()).incrementAndGet();
        ObjectNode record = device.deepCopy();
        String id = UUID.randomUUID().toString();
        record.put("id", id);
        record.put("@odata.type", ODATA_TYPE);
        ObjectNode state = record.putObject("state");
        state.put("deviceImportStatus", "unknown").put("deviceRegistrationId", "").put("deviceErrorCode", 0)
                .put("deviceErrorName", "");
        records.put(id, record);
        return record;
    }

    private void list(HttpExchange exchange) throws IOException {
        listPages.incrementAndGet();
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String filter = query.get("$filter");
        String importId = null;
        if (filter != null) {
            if (!filter.matches("importId eq '[^']*'")) {
                error(exchange, 400, "BadRequest", "Invalid filter clause");
                return;
            }
            importId = filter.substring("importId eq '".length(), filter.length() - 1);
        }
        int skip = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
        List<ObjectNode> matching = new ArrayList<>();
        synchronized (records) {
            for (ObjectNode r : records.values()) {
                if (importId == null || importId.equals(r.path("importId").asText())) {
                    matching.add(r);
                }
            }
        }
        if (skip == 0) {
            matching.forEach(this::advance);
        }
        String select = query.get("$select");
        String top = query.get("$top");
        int size = Math.min(top == null ? DEFAULT_PAGE_SIZE : Integer.parseInt(top), maxPageSize);
        ArrayNode page = json.createArrayNode();
        matching.stream().skip(skip).limit(size).forEach(r -> page.add(select == null ? r.deepCopy() : selected(r, select)));
        ObjectNode answer = json.createObjectNode();
        answer.set("value", page);
        if (skip + size < matching.size()) {
            String next = graphUrl() + COLLECTION.substring("/v1.0".length()) + "?$filter=" + encode(filter)
                    + (select == null ? "" : "&$select=" + encode(select)) + (top == null ? "" : "&$top=" + top)
                    + "&$skiptoken=" + (skip + size);
            answer.put("@odata.nextLink", next);
        }
        send(exchange, 200, answer);
    }

    /** {@code $select}: the named properties only, with {@code id} and {@code @odata.type} as Graph always adds them. */
    private ObjectNode selected(ObjectNode record, String select) {
        ObjectNode projected = json.createObjectNode();
        projected.set("@odata.type", record.get("@odata.type"));
        projected.set("id", record.get("id"));
        for (String name : select.split(",")) {
            if (record.has(name.strip())) {
                projected.set(name.strip(), record.get(name.strip()).deepCopy());
            }
        }
        return projected;
    }

    /** Each listing moves a record one step: unknown, then pending, then its final state. */
    private void advance(ObjectNode record) {
        String id = record.get("id").asText();
        int n = polls.merge(id, 1, Integer::sum);
        ObjectNode state = (ObjectNode) record.get("state");
        String serial = record.path("serialNumber").asText();
        if ((n == 1 && !settleAtOnce) || serial.contains("-RSTUCK-")) {
            state.put("deviceImportStatus", "pending");
        } else if (serial.contains("-R806-")) {
            state.put("deviceImportStatus", "error").put("deviceErrorCode", 806).put("deviceErrorName", "ZtdDeviceAlreadyAssigned");
        } else if (serial.contains("-R808-")) {
            state.put("deviceImportStatus", "error").put("deviceErrorCode", 808).put("deviceErrorName", "ZtdDeviceAssignedToOtherTenant");
        } else if (serial.contains("-RERR-")) {
            state.put("deviceImportStatus", "error").put("deviceErrorCode", 999).put("deviceErrorName", "StorageError");
        } else {
            state.put("deviceImportStatus", "complete").put("deviceRegistrationId", UUID.randomUUID().toString());
        }
    }

    private void get(HttpExchange exchange, String id) throws IOException {
        ObjectNode record = records.get(id);
        if (record == null) {
            error(exchange, 404, "ResourceNotFound", "not found");
        } else {
            send(exchange, 200, record);
        }
    }

    private void delete(HttpExchange exchange, String id) throws IOException {
        if (records.remove(id) == null) {
            error(exchange, 404, "ResourceNotFound", "not found");
            return;
        }
        deletes.incrementAndGet();
        exchange.sendResponseHeaders(204, -1);
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", code).put("message", message);
        error.putObject("innerError").put("request-id", UUID.randomUUID().toString())
                .put("client-request-id", String.valueOf(exchange.getRequestHeaders().getFirst("client-request-id")));
        send(exchange, status, body);
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> form(String encoded) {
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

    /** Percent-encoding for the filter in next links, with spaces as %20 as Graph writes them. */
    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static RSAKey tokenKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("stand-in").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
