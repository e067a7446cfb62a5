package org.autopilotbridge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
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

import org.autopilotbridge.testing.StrictRequests.Refused;
import org.autopilotbridge.testing.StrictRequests.Type;
import org.awaitility.Awaitility;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A local, stateful stand-in for the Entra ID token endpoint and Graph's importedWindowsAutopilotDeviceIdentities,
 * on a free loopback port. It is at least as strict as Graph where Graph's behaviour is known: request bodies are
 * read as Graph's OData reader reads them ({@link StrictRequests}: Content-Length, one JSON value, known properties of
 * the right types), bearer tokens and client assertions are checked, unpadded Edm.Binary is refused, a $batch holds
 * at most 20 requests, and a single create gets its own id as importId. Where Graph's behaviour is not documented
 * (query options on the staged-records list, page sizes, order, how long a record stays {@code unknown}), each
 * plausible behaviour is a mode the tests choose.
 *
 * <p>Registered devices ({@code windowsAutopilotDeviceIdentities}) are modelled as {@link RegisteredDevices}: a device
 * is registered when its import completes, and an import of a device already registered ends in 806. What happens
 * to a device is chosen by a marker in its serial number: {@code -R806-} (a device registered before, with no group
 * tag or user, so its import ends in 806), {@code -R808-}
 * ({@code -R808B-} with the "AnotherTenant" spelling), {@code -R802-}, {@code -RDUP-} (ZtdDeviceDuplicated) and
 * {@code -RERR-} (StorageError) end in those errors, {@code -RSTUCK-} never leaves pending and {@code -RREFUSE-}
 * makes Graph refuse any request carrying it with 400. Faults can be scripted: throttling, 503, lost answers (Graph
 * acts, the caller gets 504), token endpoint failures, and sync answers; the sync endpoint itself keeps Graph's
 * one-sync-per-10-minutes rule.
 */
public final class GraphStandIn implements AutoCloseable {

    public static final String TENANT = "contoso-test";
    public static final String CLIENT_ID = "7f0c1c9e-client";
    private static final String ODATA_TYPE = "#microsoft.graph.importedWindowsAutopilotDeviceIdentity";
    private static final Map<String, Type> DEVICE = Map.of("@odata.type", Type.STRING, "id", Type.STRING,
            "groupTag", Type.STRING, "serialNumber", Type.STRING, "productKey", Type.STRING, "importId", Type.STRING,
            "hardwareIdentifier", Type.STRING, "assignedUserPrincipalName", Type.STRING, "state", Type.OBJECT);
    private static final Map<String, Type> STATE = Map.of("deviceImportStatus", Type.STRING,
            "deviceRegistrationId", Type.STRING, "deviceErrorCode", Type.INT, "deviceErrorName", Type.STRING);
    private static final Set<String> BATCH_METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE");
    private static final int UNSELECTED_PAGE = 100;
    private static final String UNTHROTTLED = "1000000";
    private static final String VERSION = "/v1.0";
    private static final String COLLECTION = "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
    private static final String SYNC = "/deviceManagement/windowsAutopilotSettings/sync";
    /** Signs the access tokens the stand-in issues; one per test JVM, as Entra ID has a few for everyone. */
    private static final RSAKey TOKEN_KEY = tokenKey();

    /** What Graph does with {@code $filter=importId eq '...'} on the staged-records list, which it does not document. */
    public enum Filter {
        /** Lists that import's records only. */
        HONOURED,
        /** Answers 400. */
        REFUSED,
        /** Lists every staged record, as if there were no filter. */
        IGNORED
    }

    /** One import action (or sync) call as Graph received it. */
    public record ImportCall(List<String> serials, int status, long atMillis) {
    }

    /** One Graph call (not the token endpoint), as it arrived. */
    public record Received(String method, String path, String query, long atMillis) {
    }

    /** An answer given instead of the normal one; {@code storeFirst}: Graph acts, then the answer is lost. */
    private record Scripted(int status, Integer retryAfter, boolean storeFirst) {
    }

    /** An answer: status, JSON body (or null) and headers. */
    private record Answer(int status, JsonNode body, Map<String, String> headers) {
        Answer(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final RegisteredDevices registered = new RegisteredDevices(json);
    private final String clientSecret;
    private final LoopbackServer server;
    private final Map<String, ObjectNode> records = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> observations = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> registrations = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> lastSent = new ConcurrentHashMap<>();
    /** Each valid token with the application permissions (roles) it was issued with. */
    private final Map<String, List<String>> validTokens = new ConcurrentHashMap<>();
    private final List<ImportCall> importCalls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger createCalls = new AtomicInteger();
    private final AtomicInteger listPages = new AtomicInteger();
    private final AtomicInteger recordReads = new AtomicInteger();
    private final AtomicInteger deletes = new AtomicInteger();
    private final AtomicInteger batchCalls = new AtomicInteger();
    /** How many requests each $batch call of reads only carried, in order. */
    private final List<Integer> readBatchSizes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger throttleBatchDeletes = new AtomicInteger();
    private final List<String> throttledDeletes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    /** Requests of the service that Graph would not have read at all (see {@link #close()}). */
    private final List<String> malformed = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean malformedExpected;
    private final List<Long> overBudgetAt = Collections.synchronizedList(new ArrayList<>());
    private volatile IntuneBudget budget;
    private volatile boolean budgetRetryAfter = true;
    private final Deque<Scripted> importScript = new ConcurrentLinkedDeque<>();
    private volatile long downUntil = System.nanoTime();
    private volatile int downStatus = 503;
    private final AtomicInteger refusedWhileDown = new AtomicInteger();
    private final Deque<Scripted> tokenScript = new ConcurrentLinkedDeque<>();
    private final Deque<Scripted> syncScript = new ConcurrentLinkedDeque<>();
    private final List<ImportCall> syncCalls = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> assertionIds = ConcurrentHashMap.newKeySet();
    private volatile Instant lastSync = Instant.MIN;
    private volatile X509Certificate certificate;
    private volatile SignedJWT lastAssertion;
    private volatile Duration importDelay = Duration.ZERO;
    /** Run when the next import call arrives, before Graph acts on it. */
    private volatile Runnable onNextImport;
    private volatile int maxBatch = 500;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean settleAtOnce;
    private final AtomicInteger failingReads = new AtomicInteger();
    private volatile int unknownObservations;
    private volatile Filter filter = Filter.HONOURED;
    private volatile int readFailureStatus = 503;
    private volatile boolean selectHonoured = true;
    private volatile boolean topHonoured = true;
    private volatile boolean anyOrder;
    /** Answers in a $batch in the order of its requests; by default not, as Graph promises no order without dependsOn. */
    private volatile boolean batchInRequestOrder;
    /** $top is honoured up to this, 1,000 unless a test says otherwise. */
    private volatile int maxPageSize = 1000;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    /** The application permissions in each new token's roles claim; Entra ID leaves the claim out when there are none. */
    private volatile List<String> roles = List.of("DeviceManagementServiceConfig.ReadWrite.All");
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    public GraphStandIn(String clientSecret) {
        this.clientSecret = clientSecret;
        this.server = new LoopbackServer(this::handle);
    }

    /**
     * The stand-in on its own, to run the packaged service against it by hand:
     * {@code java -cp <test classpath> org.autopilotbridge.testing.GraphStandIn SECRET [filter=ignored] [select=ignored]
     * [top=ignored] [order=any] [batch-order=requests] [unknown=N] [latency-ms=N] [budget=WRITES/REQUESTS[/no-retry-after]]
     * [registered=FILE]}, where FILE holds the devices registered in the tenant, one {@code serial,groupTag,user} a line.
     * It prints the service settings that point at it.
     */
    public static void main(String[] args) throws InterruptedException, IOException {
        GraphStandIn graph = new GraphStandIn(args.length > 0 ? args[0] : "stand-in-secret");
        for (int i = 1; i < args.length; i++) {
            String[] option = args[i].split("=", 2);
            switch (option[0]) {
                case "filter" -> graph.filter(Filter.valueOf(option[1].toUpperCase()));
                case "select" -> graph.honourSelect(!"ignored".equals(option[1]));
                case "top" -> graph.honourTop(!"ignored".equals(option[1]));
                case "order" -> graph.anyOrder("any".equals(option[1]));
                case "batch-order" -> graph.answerBatchesInRequestOrder("requests".equals(option[1]));
                case "unknown" -> graph.unknownFor(Integer.parseInt(option[1]));
                case "latency-ms" -> graph.latency(Duration.ofMillis(Long.parseLong(option[1])));
                case "registered" -> graph.registerAll(Path.of(option[1]));
                case "budget" -> {
                    String[] limits = option[1].split("/");
                    graph.enforceBudget(Integer.parseInt(limits[0]), Integer.parseInt(limits[1]),
                            !(limits.length > 2 && limits[2].equals("no-retry-after")));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("Graph stand-in listening; start the service with:");
        graph.arguments().stream().filter(a -> graph.budget == null || !a.contains("graph-budget"))
                .forEach(System.out::println);
        System.out.println("Faults on standard input: 'down SECONDS [STATUS]', 'throttle RETRY-AFTER-SECONDS', "
                + "'fail-imports COUNT STATUS', 'act-then-fail-imports COUNT STATUS', 'token-fail COUNT STATUS'");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] word = line.strip().split("\\s+");
            switch (word[0]) {
                case "down" -> graph.downFor(Duration.ofSeconds(Long.parseLong(word[1])),
                        word.length > 2 ? Integer.parseInt(word[2]) : 503);
                case "throttle" -> graph.throttleNextImports(1, Integer.parseInt(word[1]));
                case "fail-imports" -> graph.failNextImports(Integer.parseInt(word[1]), Integer.parseInt(word[2]));
                case "act-then-fail-imports" -> graph.actThenFailNextImports(Integer.parseInt(word[1]),
                        Integer.parseInt(word[2]));
                case "token-fail" -> graph.failNextTokenRequests(Integer.parseInt(word[1]), Integer.parseInt(word[2]));
                case "" -> { }
                default -> System.out.println("unknown command: " + line);
            }
            System.out.println("ok: " + line.strip());
        }
        new CountDownLatch(1).await();
    }

    public String baseUrl() {
        return server.url();
    }

    /**
     * The tenant settings as command-line arguments, for a service in a JVM of its own. Like {@link #register}, they
     * lift the service's Graph budget: this stand-in throttles only when a test asks it to.
     */
    public List<String> arguments() {
        return List.of("--autopilot.tenant-id=" + TENANT, "--autopilot.client-id=" + CLIENT_ID,
                "--autopilot.client-secret=" + clientSecret, "--autopilot.authority-url=" + baseUrl(),
                "--autopilot.graph-url=" + graphUrl(), "--autopilot.graph-budget.writes-per-20s=" + UNTHROTTLED,
                "--autopilot.graph-budget.requests-per-20s=" + UNTHROTTLED);
    }

    /**
     * Points the service at this stand-in as its tenant, with the client secret (or none, for certificates), and lifts
     * the service's Graph budget (Intune's 100 writes per 20 s would make clean-up in a test take minutes): the
     * stand-in throttles only when a test asks it to ({@link #enforceBudget}), and then the test sets the budget.
     */
    public void register(DynamicPropertyRegistry registry, boolean withSecret) {
        registry.add("autopilot.tenant-id", () -> TENANT);
        registry.add("autopilot.client-id", () -> CLIENT_ID);
        if (withSecret) {
            registry.add("autopilot.client-secret", () -> clientSecret);
        }
        registry.add("autopilot.authority-url", this::baseUrl);
        registry.add("autopilot.graph-url", this::graphUrl);
        registry.add("autopilot.graph-budget.writes-per-20s", () -> UNTHROTTLED);
        registry.add("autopilot.graph-budget.requests-per-20s", () -> UNTHROTTLED);
    }

    public String tokenUrl() {
        return baseUrl() + "/" + TENANT + "/oauth2/v2.0/token";
    }

    public String graphUrl() {
        return baseUrl() + VERSION;
    }

    // ---- what tests look at

    public int tokenRequests() { return tokenRequests.get(); }
    public int createCalls() { return createCalls.get(); }
    public int listPages() { return listPages.get(); }
    /** Staged records read one by one (GET by id, also inside $batch calls). */
    public int recordReads() { return recordReads.get(); }
    /** DELETE calls on single records (not counting deletes inside $batch calls). */
    public int deletes() { return deletes.get(); }
    /** JSON $batch calls. */
    public int batchCalls() { return batchCalls.get(); }
    /** The number of requests in each $batch call that only read, in the order received. */
    public List<Integer> readBatchSizes() { return List.copyOf(readBatchSizes); }
    public int unauthorized() { return unauthorized.get(); }
    public int requests() { return requests.get(); }
    /** Requests answered with the outage's status while {@link #downFor} held. */
    public int refusedWhileDown() { return refusedWhileDown.get(); }
    /** Requests answered 429 because they were over the budget (calls of their own and requests inside $batch calls). */
    public int overBudget() { return overBudgetAt.size(); }

    /** When each request over the budget was answered 429, in milliseconds since the epoch. */
    public List<Long> overBudgetTimes() {
        synchronized (overBudgetAt) {
            return List.copyOf(overBudgetAt);
        }
    }
    /** Requests refused for their framing or body (411, or 400 before anything was done). */
    public int refusals() { return refusals.get(); }

    /** How many staged records Graph still holds for serial numbers starting with {@code prefix}. */
    public long recordsWithSerialPrefix(String prefix) {
        synchronized (records) {
            return records.values().stream().filter(r -> r.path("serialNumber").asText().startsWith(prefix)).count();
        }
    }

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

    /**
     * Registers a device in the tenant as if it had been imported before (its import then ends in 806); returns its
     * id, which is what a completed import reports as its {@code deviceRegistrationId}.
     */
    public String registerDevice(String serial, String groupTag, String userPrincipalName) {
        return registered.register(serial, groupTag, userPrincipalName, null);
    }

    /** Deletes the registered device with this serial number, as an admin does in Intune; importing it works again. */
    public void deleteRegisteredDevice(String serial) {
        registered.delete(serial);
    }

    /**
     * The device with this serial number is deleted in Intune while its change is on the way: the next
     * updateDeviceProperties for it finds it gone (404), as does everything after.
     */
    public void deleteRegisteredDeviceOnItsNextUpdate(String serial) {
        registered.deleteOnNextUpdate(serial);
    }

    /** The registered device with this serial number as Graph would show it now, or null if there is none. */
    public JsonNode registeredDevice(String serial) {
        return registered.bySerial(serial);
    }

    /** Pages listed of the registered devices (calls of their own and requests inside $batch calls). */
    public int registeredLists() { return registered.listPages(); }
    /** Registers the devices of a file of {@code serial,groupTag,user} lines (either of the last two may be empty). */
    public void registerAll(Path devices) throws IOException {
        for (String line : Files.readAllLines(devices, StandardCharsets.UTF_8)) {
            String[] fields = (line + ",,").split(",", -1);
            if (!fields[0].isBlank()) {
                registerDevice(fields[0].strip(), fields[1].strip(), fields[2].strip());
            }
        }
    }

    /** Registered devices read by id. */
    public int registeredReads() { return registered.reads(); }
    /** updateDeviceProperties actions Graph carried out, in all and for one serial number. */
    public int propertyUpdates() { return registered.updates(); }
    public int propertyUpdates(String serial) { return registered.updates(serial); }

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

    /** How many staged records Graph holds. */
    public int storedRecords() {
        return records.size();
    }

    public List<ImportCall> syncCalls() {
        synchronized (syncCalls) {
            return List.copyOf(syncCalls);
        }
    }

    /** The last client assertion the token endpoint accepted. */
    public SignedJWT lastAssertion() {
        return lastAssertion;
    }

    // ---- how Graph behaves where it is not documented

    /** What the staged-records list does with an importId filter. */
    public void filter(Filter mode) { filter = mode; }
    /** Whether {@code $select} is honoured; when not, pages carry every property, hashes included. */
    public void honourSelect(boolean honoured) { selectHonoured = honoured; }
    /** Whether {@code $top} is honoured (up to {@link #maxPageSize}); when not, pages hold 100 records. */
    public void honourTop(boolean honoured) { topHonoured = honoured; }
    /** The largest page Graph serves, whatever $top asks for. */
    public void maxPageSize(int size) { maxPageSize = size; }
    /** The page size of the registered-device list (Graph serves about 1,000). */
    public void registeredPageSize(int size) { registered.pageSize(size); }
    /**
     * An updated device shows its old values to the next {@code looks} reads and lists before the new ones, as
     * Intune's updates are reported to take a while to show (0: at once).
     */
    public void updatesShowAfter(int looks) { registered.updatesShowAfter(looks); }
    /** Lists come in no particular order (by id) instead of the order records were made. */
    public void anyOrder(boolean any) { anyOrder = any; }
    /**
     * Whether a $batch's answers come in the order of its requests. Graph promises no order for requests without
     * {@code dependsOn}, so by default the stand-in answers them in reverse: a service that pairs answers with requests
     * by position instead of by id fails every test that batches more than one request.
     */
    public void answerBatchesInRequestOrder(boolean inOrder) { batchInRequestOrder = inOrder; }
    /** Records stay {@code unknown} for their first {@code observations} listings or reads before {@code pending}. */
    public void unknownFor(int count) { unknownObservations = count; }
    /** Every record is final at its first listing, as when Graph processes an import at once. */
    public void settleAtOnce() { settleAtOnce = true; }

    /** Back to Graph's most helpful behaviour: filter, $select and $top honoured, records in the order made. */
    public void resetListing() {
        filter = Filter.HONOURED;
        selectHonoured = true;
        topHonoured = true;
        anyOrder = false;
        unknownObservations = 0;
        maxPageSize = 1000;
    }

    /**
     * A record left over from an earlier import (another tool's, or an import never cleaned up), in {@code error}
     * with the given code and name, carrying {@code serial}: it must never be taken for the record of a new import.
     */
    public void stageLeftover(String serial, String importId, int errorCode, String errorName) {
        ObjectNode record = json.createObjectNode().put("@odata.type", ODATA_TYPE).put("id", UUID.randomUUID().toString())
                .put("serialNumber", serial).put("importId", importId).put("groupTag", "").put("productKey", "")
                .put("assignedUserPrincipalName", "").put("hardwareIdentifier", "T0FsZWZ0b3Zlcg==");
        record.putObject("state").put("deviceImportStatus", "error").put("deviceRegistrationId", "")
                .put("deviceErrorCode", errorCode).put("deviceErrorName", errorName);
        records.put(record.get("id").asText(), record);
    }

    /** Removes the records of an earlier import (as its tool's own clean-up would). */
    public void unstage(String importId) {
        records.values().removeIf(record -> importId.equals(record.path("importId").asText()));
    }

    // ---- faults

    /**
     * Throttles as Intune does: at most {@code writes} writes and {@code requests} requests per 20 seconds, every
     * request inside a $batch counting on its own; over it, 429 with Retry-After, or, when {@code retryAfter} is
     * false, without one and with {@code "RetryAfter": null} in the body, as Intune often answers.
     */
    public void enforceBudget(int writes, int requests, boolean retryAfter) {
        budget = new IntuneBudget(writes, requests);
        budgetRetryAfter = retryAfter;
    }

    /**
     * The next {@code count} updateDeviceProperties actions are answered 412 ConditionNotMet, as Intune answers some
     * bulk updates, without a Retry-After.
     */
    public void conflictNextUpdates(int count) {
        registered.conflictNext(count);
    }

    /** The next {@code count} updateDeviceProperties actions are carried out, but answered 504 GatewayTimeout. */
    public void loseNextUpdateAnswers(int count) {
        registered.loseNextAnswers(count);
    }

    /** The next {@code count} DELETE requests inside $batch calls are answered 429 with Retry-After: 1. */
    public void throttleNextBatchDeletes(int count) {
        throttleBatchDeletes.set(count);
    }

    /** The URLs of the deletes {@link #throttleNextBatchDeletes} answered 429, in the order they came. */
    public List<String> throttledDeletes() {
        synchronized (throttledDeletes) {
            return List.copyOf(throttledDeletes);
        }
    }

    /** Every token issued so far stops working, as after expiry: Graph answers 401 until a new one is fetched. */
    public void expireTokens() {
        validTokens.clear();
    }

    /** The next {@code count} import calls are answered 429 with Retry-After. */
    public void throttleNextImports(int count, int retryAfter) {
        script(importScript, count, new Scripted(429, retryAfter, false));
    }

    /** Runs {@code action} when the next import call arrives, before it is answered: what happens meanwhile elsewhere. */
    public void onNextImport(Runnable action) {
        onNextImport = action;
    }

    /** The next {@code count} import calls fail with {@code status} (503, 500...) and store nothing. */
    public void failNextImports(int count, int status) {
        script(importScript, count, new Scripted(status, null, false));
    }

    /** The next {@code count} reads (GET requests of their own) fail with {@code status}, as while Graph is down. */
    public void failNextReads(int count, int status) {
        failingReads.set(count);
        readFailureStatus = status;
    }

    /** The next import call is carried out, but the caller gets a 504 instead of the answer. */
    public void loseNextImportAnswer() {
        script(importScript, 1, new Scripted(504, null, true));
    }

    /** The next {@code count} import calls are carried out, but answered {@code status} (a 500 or 502 of a gateway). */
    public void actThenFailNextImports(int count, int status) {
        script(importScript, count, new Scripted(status, null, true));
    }

    /**
     * Graph and its token endpoint are down for {@code period} from now: every request is answered {@code status}
     * (503 as a front door says it, 502 as a broken gateway), and nothing is carried out.
     */
    public void downFor(Duration period, int status) {
        downStatus = status;
        downUntil = System.nanoTime() + period.toNanos();
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

    /** How long every Graph call takes to answer, as over a real network: batching and pipelining only show with it. */
    public void latency(Duration delay) {
        latency = delay;
    }

    /** Import calls are answered this much later again, as a busy Graph answers. */
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
            byte[] body;
            try {
                body = StrictRequests.body(exchange);
            } catch (Refused e) {
                // What follows on the connection cannot be told from the broken request: end it, as a server does.
                exchange.getResponseHeaders().set("Connection", "close");
                send(exchange, refused(exchange, e));
                return;
            }
            if (downUntil - System.nanoTime() > 0) {
                refusedWhileDown.incrementAndGet();
                send(exchange, error(exchange, downStatus, "ServiceUnavailable", "The service is temporarily unavailable."));
                return;
            }
            if (method.equals("POST") && path.equals("/" + TENANT + "/oauth2/v2.0/token")) {
                send(exchange, token(exchange, body));
                return;
            }
            received.add(new Received(method, path, exchange.getRequestURI().getRawQuery(), System.currentTimeMillis()));
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                pause(latency);
                send(exchange, graphCall(exchange, method, path, body));
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (RuntimeException e) {
            send(exchange, error(exchange, 500, "InternalServerError", String.valueOf(e)));
        }
    }

    private Answer graphCall(HttpExchange exchange, String method, String path, byte[] body) {
        if (!path.startsWith(VERSION + "/")) {
            // No Graph serves a URL outside its version root: the service built it wrong.
            return refused(exchange, Refused.malformed(404, "ResourceNotFound", "no such resource " + path));
        }
        if (!authorized(exchange)) {
            return error(exchange, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        }
        if (!permitted(exchange, method)) {
            return error(exchange, 403, "Forbidden", "Application is not authorized to perform this operation. Application "
                    + "must have one of the following scopes: DeviceManagementServiceConfig.ReadWrite.All");
        }
        if (method.equals("GET") && failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return error(exchange, readFailureStatus, "ServiceUnavailable", "The service is temporarily unavailable.");
        }
        String relative = path.substring(VERSION.length());
        if (!relative.equals("/$batch")) {
            Answer throttled = overBudget(exchange, method);
            if (throttled != null) {
                return throttled;
            }
        }
        try {
            if (method.equals("POST") && relative.equals("/$batch")) {
                return batch(exchange, StrictRequests.json(exchange, body));
            }
            if (method.equals("POST") && relative.equals(SYNC)) {
                if (body.length > 0 && StrictRequests.json(exchange, body).size() > 0) {
                    throw Refused.malformed(400, "BadRequest", "The action 'sync' takes no parameters.");
                }
                return sync(exchange);
            }
            if (method.equals("POST") && relative.equals(COLLECTION + "/import")) {
                return importAction(exchange, StrictRequests.json(exchange, body));
            }
            if (method.equals("POST") && relative.equals(COLLECTION)) {
                return create(exchange, StrictRequests.json(exchange, body));
            }
            if (method.equals("DELETE")) {
                deletes.incrementAndGet();
            }
            return resource(exchange, method, relative, form(exchange.getRequestURI().getRawQuery()),
                    method.equals("POST") ? StrictRequests.json(exchange, body) : null);
        } catch (Refused e) {
            return refused(exchange, e);
        }
    }

    /** Graph's answer to a refused request; one no Graph would read is kept, to fail the test when the stand-in closes. */
    private Answer refused(HttpExchange exchange, Refused e) {
        return refused(exchange, exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
    }

    /**
     * The same for {@code request}, which names the call, or the request inside a $batch call. Every refusal goes through
     * here, so that none answers a malformed request without failing the test that sent it.
     */
    private Answer refused(HttpExchange exchange, String request, Refused e) {
        refusals.incrementAndGet();
        if (e.malformed) {
            malformed.add(request + ": " + e.status + " " + e.getMessage());
        }
        return error(exchange, e.status, e.code, e.getMessage());
    }

    /**
     * Reads, deletes and the registered devices' actions, the same whether they come as calls of their own or inside a
     * $batch call; {@code body} is the request's JSON body, or null.
     */
    private Answer resource(HttpExchange exchange, String method, String relative, Map<String, String> query, JsonNode body)
            throws Refused {
        if (relative.startsWith(RegisteredDevices.COLLECTION)) {
            return registered(method, relative.substring(RegisteredDevices.COLLECTION.length()), query, body);
        }
        if (relative.equals(COLLECTION) && method.equals("GET")) {
            return list(exchange, query);
        }
        if (relative.startsWith(COLLECTION + "/") && relative.indexOf('/', COLLECTION.length() + 1) < 0) {
            String id = URLDecoder.decode(relative.substring(COLLECTION.length() + 1), StandardCharsets.UTF_8);
            if (method.equals("GET")) {
                return get(exchange, id, query.get("$select"));
            }
            if (method.equals("DELETE")) {
                return delete(exchange, id);
            }
        }
        throw Refused.malformed(400, "BadRequest", "No HTTP resource was found that matches " + method + " " + relative);
    }

    /** The registered devices: the list, one by id, and its updateDeviceProperties action. */
    private Answer registered(String method, String path, Map<String, String> query, JsonNode body) throws Refused {
        String[] segments = path.split("/");
        if (path.isEmpty() && method.equals("GET")) {
            int skip = count(query, "$skiptoken");
            RegisteredDevices.Page page = registered.list(query.get("$filter"), skip);
            ArrayNode value = json.createArrayNode();
            page.devices().forEach(value::add);
            return new Answer(200, page(value, RegisteredDevices.COLLECTION, query,
                    page.more() ? skip + page.devices().size() : -1));
        }
        String id = segments.length > 1 ? URLDecoder.decode(segments[1], StandardCharsets.UTF_8) : "";
        if (segments.length == 2 && method.equals("GET")) {
            return new Answer(200, registered.read(id));
        }
        if (segments.length == 3 && segments[2].equals(RegisteredDevices.UPDATE_ACTION) && method.equals("POST")) {
            registered.update(id, body);
            return new Answer(204, null);
        }
        throw Refused.malformed(400, "BadRequest", "No HTTP resource was found that matches " + method + " "
                + RegisteredDevices.COLLECTION + path);
    }

    /** A page of a list, with its {@code @odata.nextLink} (a skip token) when {@code nextSkip} is not negative. */
    private ObjectNode page(ArrayNode value, String collection, Map<String, String> query, int nextSkip) {
        ObjectNode answer = json.createObjectNode();
        answer.set("value", value);
        if (nextSkip >= 0) {
            Map<String, String> next = new LinkedHashMap<>(query);
            next.put("$skiptoken", String.valueOf(nextSkip));
            StringBuilder link = new StringBuilder(graphUrl() + collection);
            next.forEach((k, v) -> link.append(link.indexOf("?") < 0 ? '?' : '&').append(k).append('=').append(encode(v)));
            answer.put("@odata.nextLink", link.toString());
        }
        return answer;
    }

    /** Null if the request is within the budget (and now counted), else the 429 Intune answers. */
    private Answer overBudget(HttpExchange exchange, String method) {
        IntuneBudget current = budget;
        long now = System.currentTimeMillis();
        long wait = current == null ? 0 : current.admit(!method.equals("GET"), now);
        if (wait == 0) {
            return null;
        }
        overBudgetAt.add(now);
        Answer error = error(exchange, 429, "TooManyRequests", "Too many requests: the application exceeded its "
                + "Intune throttling limit for this tenant.");
        ((ObjectNode) error.body().path("error")).putNull("RetryAfter");
        return budgetRetryAfter ? new Answer(429, error.body(), Map.of("Retry-After", String.valueOf(wait))) : error;
    }

    private boolean authorized(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.containsKey(auth.substring(7))) {
            unauthorized.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Writes need DeviceManagementServiceConfig.ReadWrite.All; reads also take its Read.All. */
    private boolean permitted(HttpExchange exchange, String method) {
        List<String> granted = validTokens.get(exchange.getRequestHeaders().getFirst("Authorization").substring(7));
        return granted.contains("DeviceManagementServiceConfig.ReadWrite.All")
                || (method.equals("GET") && granted.contains("DeviceManagementServiceConfig.Read.All"));
    }

    /**
     * Entra ID's token endpoint. It reads the form only with the form content type, and takes only the .default scope
     * of the Graph it serves (the stand-in's own scheme and host, as {@code https://graph.microsoft.us/.default} for
     * US Government): anything else is answered 400 as Entra answers it, and recorded as a request no Entra would take.
     */
    private Answer token(HttpExchange exchange, byte[] body) {
        tokenRequests.incrementAndGet();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase().matches("application/x-www-form-urlencoded\\s*(;.*)?")) {
            return entraRefusal(exchange, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'grant_type'.");
        }
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        Scripted scripted = tokenScript.poll();
        if (scripted != null && scripted.status() >= 500) {
            return new Answer(scripted.status(), json.createObjectNode().put("error", "temporarily_unavailable")
                    .put("error_description", "AADSTS50196: The server terminated an operation because it encountered "
                            + "a client request loop.\r\nTrace ID: 0000"));
        }
        String scope = baseUrl() + "/.default";
        if (!scope.equals(form.get("scope"))) {
            return entraRefusal(exchange, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is "
                    + "not valid. The scope " + form.get("scope") + " is not valid.");
        }
        boolean ok = scripted == null && "client_credentials".equals(form.get("grant_type"))
                && CLIENT_ID.equals(form.get("client_id")) && credentialValid(form);
        if (!ok) {
            ObjectNode answer = json.createObjectNode()
                    .put("error", "invalid_client")
                    .put("error_description", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                            + "in the request is the client secret value.\r\nTrace ID: 0000\r\nCorrelation ID: 0000");
            return new Answer(401, answer);
        }
        String token = accessToken();
        validTokens.put(token, roles);
        return new Answer(200, json.createObjectNode().put("token_type", "Bearer").put("expires_in", 3599)
                .put("ext_expires_in", 3599).put("access_token", token));
    }

    /** Entra ID's 400 for a token request it cannot take, kept like any request Graph would not read. */
    private Answer entraRefusal(HttpExchange exchange, String error, int code, String message) {
        refusals.incrementAndGet();
        malformed.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": 400 AADSTS" + code + " " + message);
        return new Answer(400, json.createObjectNode().put("error", error)
                .put("error_description", "AADSTS" + code + ": " + message + "\r\nTrace ID: 0000\r\nCorrelation ID: 0000")
                .set("error_codes", json.createArrayNode().add(code)));
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

    /**
     * Graph JSON batching: at most 20 requests with unique ids, each a method and a URL relative to the version
     * root, a body only with its Content-Type; each answered on its own.
     */
    private Answer batch(HttpExchange exchange, JsonNode body) throws Refused {
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
        ArrayNode responses = json.createArrayNode();
        for (JsonNode item : items) {
            ObjectNode response = responses.addObject().put("id", item.path("id").asText());
            Answer answer = overBudget(exchange, item.path("method").asText());
            if (answer == null && item.path("method").asText().equals("DELETE")
                    && throttleBatchDeletes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throttledDeletes.add(item.path("url").asText());
                answer = new Answer(429, null, Map.of("Retry-After", "1"));
            }
            if (answer == null) {
                String url = item.path("url").asText();
                int q = url.indexOf('?');
                try {
                    answer = resource(exchange, item.path("method").asText(), q < 0 ? url : url.substring(0, q),
                            q < 0 ? Map.of() : form(url.substring(q + 1)), item.get("body"));
                } catch (Refused e) {
                    answer = refused(exchange, exchange.getRequestMethod() + " " + exchange.getRequestURI() + " request "
                            + item.path("id").asText() + ": " + item.path("method").asText() + " " + url, e);
                }
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
        ObjectNode answer = json.createObjectNode();
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

    private Answer sync(HttpExchange exchange) {
        long at = System.currentTimeMillis();
        Scripted scripted = syncScript.poll();
        int status = scripted != null ? scripted.status()
                : Instant.now().isBefore(lastSync.plus(Duration.ofMinutes(10))) ? 429 : 204;
        syncCalls.add(new ImportCall(List.of(), status, at));
        if (status == 204) {
            lastSync = Instant.now();
            return new Answer(204, null);
        }
        long retryAfter = scripted != null ? scripted.retryAfter()
                : Duration.between(Instant.now(), lastSync.plus(Duration.ofMinutes(10))).toSeconds();
        Answer error = error(exchange, status, status == 409 ? "Conflict" : "TooManyRequests",
                status == 409 ? "A sync is already in progress." : "Sync can only be requested every 10 minutes.");
        return new Answer(status, error.body(), Map.of("Retry-After", String.valueOf(retryAfter)));
    }

    private Answer importAction(HttpExchange exchange, JsonNode body) throws Refused {
        long at = System.currentTimeMillis();
        Runnable action = onNextImport;
        onNextImport = null;
        if (action != null) {
            action.run();
        }
        JsonNode devices = body.path("importedWindowsAutopilotDeviceIdentities");
        if (body.size() != 1 || !devices.isArray()) {
            throw Refused.malformed(400, "BadRequest", "The parameters of the action 'import' are "
                    + "importedWindowsAutopilotDeviceIdentities only, as an array.");
        }
        List<String> serials = new ArrayList<>();
        devices.forEach(d -> serials.add(d.path("serialNumber").asText()));
        String problem = devices.size() > maxBatch ? "Too many devices in one import request." : null;
        for (Iterator<JsonNode> it = devices.elements(); problem == null && it.hasNext(); ) {
            problem = invalid(it.next());
        }
        Scripted scripted = importScript.poll();
        if (scripted != null) {
            importCalls.add(new ImportCall(serials, scripted.status(), at));
            // A lost answer hides what Graph did, and Graph does nothing with a request it refuses.
            if (scripted.storeFirst() && problem == null) {
                devices.forEach(d -> store((ObjectNode) d, false));
            }
            Answer error = error(exchange, scripted.status(), scripted.status() == 429 ? "TooManyRequests" : "ServiceUnavailable",
                    "Scripted failure.");
            return scripted.retryAfter() == null ? error
                    : new Answer(error.status(), error.body(), Map.of("Retry-After", String.valueOf(scripted.retryAfter())));
        }
        importCalls.add(new ImportCall(serials, problem == null ? 200 : 400, at));
        pause(importDelay);
        if (problem != null) {
            return error(exchange, 400, "BadRequest", problem);
        }
        ArrayNode created = json.createArrayNode();
        devices.forEach(d -> created.add(store((ObjectNode) d, false)));
        ObjectNode answer = json.createObjectNode().put("@odata.context",
                graphUrl() + "/$metadata#Collection(microsoft.graph.importedWindowsAutopilotDeviceIdentity)");
        answer.set("value", created);
        return new Answer(200, answer);
    }

    private Answer create(HttpExchange exchange, JsonNode device) throws Refused {
        createCalls.incrementAndGet();
        String problem = invalid(device);
        if (problem != null) {
            return error(exchange, 400, "BadRequest", problem);
        }
        return new Answer(201, store((ObjectNode) device, true));
    }

    /**
     * Graph's own checks on one device object: what it refuses with 400, or null. A device no Graph would read (not an
     * object, unknown properties, wrong types, another type) is thrown, to be recorded; a device Graph reads and then
     * refuses (an unreadable hash, a serial a test marked) is what tests ask for.
     */
    private String invalid(JsonNode device) throws Refused {
        if (!device.isObject()) {
            throw Refused.malformed(400, "BadRequest", StrictRequests.UNREADABLE);
        }
        StrictRequests.conforms(device, "microsoft.graph.importedWindowsAutopilotDeviceIdentity", DEVICE);
        if (device.path("state").isObject()) {
            StrictRequests.conforms(device.get("state"), "microsoft.graph.importedWindowsAutopilotDeviceIdentityState", STATE);
        }
        if (device.has("@odata.type") && !ODATA_TYPE.equals(device.get("@odata.type").asText())) {
            throw Refused.malformed(400, "BadRequest", "Invalid @odata.type");
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

    /**
     * Keeps a new staged record; a single create gets its own id as importId, as Graph does. A {@code -R806-} device
     * is registered already, with no group tag or user, unless a test registered it otherwise.
     */
    private ObjectNode store(ObjectNode device, boolean single) {
        String serial = device.path("serialNumber").asText();
        if (serial.contains("-R806-") && !registered.isRegistered(serial)) {
            registered.register(serial, null, null, null);
        }
        lastSent.put(serial, device.deepCopy());
        registrations.computeIfAbsent(serial, s -> new AtomicInteger()).incrementAndGet();
        ObjectNode record = device.deepCopy();
        String id = UUID.randomUUID().toString();
        record.put("id", id);
        record.put("@odata.type", ODATA_TYPE);
        if (single) {
            record.put("importId", id);
        }
        ObjectNode state = record.putObject("state");
        state.put("deviceImportStatus", "unknown").put("deviceRegistrationId", "").put("deviceErrorCode", 0)
                .put("deviceErrorName", "");
        records.put(id, record);
        return record;
    }

    /**
     * The staged-records list, as the chosen modes make it: the importId filter honoured, refused or ignored;
     * $select honoured or not; $top honoured (up to {@link #maxPageSize}) or pages of 100; records in the order made
     * or in any order. Pages follow each other through {@code @odata.nextLink} with a skip token.
     */
    private Answer list(HttpExchange exchange, Map<String, String> query) throws Refused {
        listPages.incrementAndGet();
        String filterClause = query.get("$filter");
        String importId = null;
        if (filterClause != null) {
            if (!filterClause.matches("importId eq '(?:[^']|'')*'")) {
                // The modes are about the importId filter; the service has no reason to send any other.
                throw Refused.malformed(400, "BadRequest", "Invalid filter clause: " + filterClause);
            }
            if (filter == Filter.REFUSED) {
                return error(exchange, 400, "BadRequest", "Invalid filter clause: the query option $filter is not "
                        + "supported on this resource.");
            }
            importId = filter == Filter.IGNORED ? null : filterClause.substring("importId eq '".length(),
                    filterClause.length() - 1).replace("''", "'");
        }
        int skip = count(query, "$skiptoken");
        String selectClause = query.get("$select");
        checkSelect(selectClause);
        List<ObjectNode> matching = new ArrayList<>();
        synchronized (records) {
            for (ObjectNode r : records.values()) {
                if (importId == null || importId.equals(r.path("importId").asText())) {
                    matching.add(r);
                }
            }
        }
        if (anyOrder) {
            matching.sort(Comparator.comparing(r -> r.path("id").asText()));
        }
        if (skip == 0) {
            matching.forEach(this::advance);
        }
        String select = selectHonoured ? selectClause : null;
        int top = count(query, "$top");
        int size = topHonoured && query.containsKey("$top") ? Math.min(top, maxPageSize) : UNSELECTED_PAGE;
        ArrayNode page = json.createArrayNode();
        matching.stream().skip(skip).limit(size).forEach(r -> page.add(select == null ? r.deepCopy() : selected(r, select)));
        return new Answer(200, page(page, COLLECTION, query, skip + size < matching.size() ? skip + size : -1));
    }

    /**
     * A {@code $skiptoken} or {@code $top}: a whole number (0 when absent), or the 400 Graph answers. The stand-in's own
     * skip tokens are numbers, so another one is a next link the service changed.
     */
    private static int count(Map<String, String> query, String option) throws Refused {
        String value = query.get(option);
        if (value == null) {
            return 0;
        }
        if (!value.matches("\\d{1,9}")) {
            throw Refused.malformed(400, "BadRequest", "Invalid value '" + value + "' for the query option " + option + ".");
        }
        return Integer.parseInt(value);
    }

    /**
     * Graph's OData layer refuses a {@code $select} naming a property the type does not have, whether or not the list
     * then honours {@code $select}.
     */
    private static void checkSelect(String select) throws Refused {
        if (select == null) {
            return;
        }
        for (String name : select.split(",", -1)) {
            if (name.strip().startsWith("@") || !DEVICE.containsKey(name.strip())) {
                throw Refused.malformed(400, "BadRequest", "Could not find a property named '" + name.strip()
                        + "' on type 'microsoft.graph.importedWindowsAutopilotDeviceIdentity'.");
            }
        }
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

    /**
     * Each listing or read moves a record one step: {@code unknown} for its first {@link #unknownFor} looks, then
     * pending, then its final state, where it stays.
     */
    private void advance(ObjectNode record) {
        // Two looks at the same moment move a record one step, as Graph's own state would: never twice.
        synchronized (record) {
            advanceOnce(record);
        }
    }

    private void advanceOnce(ObjectNode record) {
        ObjectNode state = (ObjectNode) record.get("state");
        String status = state.path("deviceImportStatus").asText();
        if (status.equals("complete") || status.equals("error")) {
            return;
        }
        int n = observations.merge(record.get("id").asText(), 1, Integer::sum) - unknownObservations;
        String serial = record.path("serialNumber").asText();
        if (n <= 0) {
            return;
        }
        if ((n == 1 && !settleAtOnce) || serial.contains("-RSTUCK-")) {
            state.put("deviceImportStatus", "pending");
        } else if (registered.isRegistered(serial)) {
            fail(state, 806, "ZtdDeviceAlreadyAssigned");
        } else if (serial.contains("-R808B-")) {
            fail(state, 808, "ZtdDeviceAssignedToAnotherTenant");
        } else if (serial.contains("-R808-")) {
            fail(state, 808, "ZtdDeviceAssignedToOtherTenant");
        } else if (serial.contains("-R802-")) {
            fail(state, 802, "InvalidZtdHardwareHash");
        } else if (serial.contains("-RDUP-")) {
            fail(state, 0, "ZtdDeviceDuplicated");
        } else if (serial.contains("-RERR-")) {
            fail(state, 999, "StorageError");
        } else {
            String registrationId = registered.register(serial, record.path("groupTag").asText(null),
                    record.path("assignedUserPrincipalName").asText(null), record.path("productKey").asText(null));
            state.put("deviceImportStatus", "complete").put("deviceRegistrationId", registrationId);
        }
    }

    private static void fail(ObjectNode state, int code, String name) {
        state.put("deviceImportStatus", "error").put("deviceErrorCode", code).put("deviceErrorName", name);
    }

    private Answer get(HttpExchange exchange, String id, String select) throws Refused {
        recordReads.incrementAndGet();
        checkSelect(select);
        ObjectNode record = records.get(id);
        if (record == null) {
            return error(exchange, 404, "ResourceNotFound", "Resource not found for the segment '" + id + "'.");
        }
        advance(record);
        return new Answer(200, select != null && selectHonoured ? selected(record, select) : record.deepCopy());
    }

    private Answer delete(HttpExchange exchange, String id) {
        if (records.remove(id) == null) {
            return error(exchange, 404, "ResourceNotFound", "Resource not found for the segment '" + id + "'.");
        }
        return new Answer(204, null);
    }

    private Answer error(HttpExchange exchange, int status, String code, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", code).put("message", message);
        error.putObject("innerError").put("date", Instant.now().toString()).put("request-id", UUID.randomUUID().toString())
                .put("client-request-id", String.valueOf(exchange.getRequestHeaders().getFirst("client-request-id")));
        return new Answer(status, body);
    }

    private void send(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = json.writeValueAsBytes(answer.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
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

    /** Percent-encoding for next links, with spaces as %20 as Graph writes them. */
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

    /** For tests of the stand-in itself, which send requests Graph would not read on purpose. */
    public void expectMalformedRequests() {
        malformedExpected = true;
    }

    /**
     * Stops the stand-in, and fails the test class that used it if the service sent a request Graph would not have read
     * (a body that is not one JSON value of known properties, a wrong Content-Length, an unknown parameter or URL, an
     * oversized $batch): however the test's own assertions went, such a request fails against Graph.
     */
    @Override
    public void close() {
        server.close();
        if (!malformed.isEmpty() && !malformedExpected) {
            throw new AssertionError(malformed.size() + " request(s) Graph would not have read, the first: " + malformed.get(0));
        }
    }
}
