package org.autopilotbridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;

import org.autopilotbridge.testing.GraphAnswers.Scripted;
import org.awaitility.Awaitility;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.autopilotbridge.testing.GraphAnswers.script;

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
 *
 * <p>This class is the facade tests and the benchmark use; each concern lives in a package-private class of its own:
 * {@link GraphTokens} (the token endpoint), {@link ImportEndpoint} (import and create), {@link StagedRecords} (the
 * staging area), {@link RegisteredDevices}, {@link GraphBatch} ($batch), {@link GraphFaults} (budget, outages, sync),
 * {@link GraphRefusals} (malformed requests) and {@link GraphRouter} (the HTTP side).
 */
public final class GraphStandIn implements AutoCloseable {

    public static final String TENANT = "contoso-test";
    public static final String CLIENT_ID = "7f0c1c9e-client";
    private static final String UNTHROTTLED = "1000000";

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

    private final RegisteredDevices registered = new RegisteredDevices(GraphAnswers.JSON);
    private final ProfileAssignments profiles = new ProfileAssignments();
    private final GraphRefusals refusals = new GraphRefusals();
    private final GraphFaults faults = new GraphFaults();
    private final String clientSecret;
    private final GraphTokens tokens;
    private final StagedRecords staged;
    private final ImportEndpoint imports;
    private final GraphBatch batch;
    private final GraphRouter router;
    private final LoopbackServer server;

    public GraphStandIn(String clientSecret) {
        this.clientSecret = clientSecret;
        this.tokens = new GraphTokens(clientSecret, this::baseUrl, refusals);
        this.staged = new StagedRecords(registered, this::graphUrl);
        this.imports = new ImportEndpoint(staged, registered, this::graphUrl);
        this.batch = new GraphBatch(faults, refusals);
        this.router = new GraphRouter(refusals, tokens, faults, staged, imports, batch, registered, profiles, this::graphUrl);
        this.server = new LoopbackServer(router::handle);
    }

    /**
     * The stand-in on its own, to run the packaged service against it by hand:
     * {@code java -cp <test classpath> org.autopilotbridge.testing.GraphStandIn SECRET [filter=ignored] [select=ignored]
     * [top=ignored] [order=any] [batch-order=requests] [unknown=N] [latency-ms=N] [budget=WRITES/REQUESTS[/no-retry-after]]
     * [registered=FILE]}, where FILE holds the devices registered in the tenant, one {@code serial,groupTag,user} a line.
     * It prints the service settings that point at it.
     */
    public static void main(String[] args) throws InterruptedException, IOException {
        GraphStandInCommands.run(args);
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
        return tokens.tokenUrl();
    }

    public String graphUrl() {
        return baseUrl() + GraphRouter.VERSION;
    }

    // ---- what tests look at

    public int tokenRequests() { return tokens.tokenRequests.get(); }
    public int createCalls() { return imports.createCalls.get(); }
    public int listPages() { return staged.listPages.get(); }
    /** Staged records read one by one (GET by id, also inside $batch calls). */
    public int recordReads() { return staged.recordReads.get(); }
    /** DELETE calls on single records (not counting deletes inside $batch calls). */
    public int deletes() { return router.deletes.get(); }
    /** JSON $batch calls. */
    public int batchCalls() { return batch.batchCalls.get(); }
    /** The number of requests in each $batch call that only read, in the order received. */
    public List<Integer> readBatchSizes() { return List.copyOf(batch.readBatchSizes); }
    public int unauthorized() { return tokens.unauthorized.get(); }
    public int requests() { return router.requests.get(); }
    /** Requests answered with the outage's status while {@link #downFor} held. */
    public int refusedWhileDown() { return faults.refusedWhileDown.get(); }
    /** Requests answered 429 because they were over the budget (calls of their own and requests inside $batch calls). */
    public int overBudget() { return faults.overBudgetAt.size(); }

    /** When each request over the budget was answered 429, in milliseconds since the epoch. */
    public List<Long> overBudgetTimes() {
        synchronized (faults.overBudgetAt) {
            return List.copyOf(faults.overBudgetAt);
        }
    }
    /** Requests refused for their framing or body (411, or 400 before anything was done). */
    public int refusals() { return refusals.refusals.get(); }

    /** How many staged records Graph still holds for serial numbers starting with {@code prefix}. */
    public long recordsWithSerialPrefix(String prefix) {
        synchronized (staged.records) {
            return staged.records.values().stream().filter(r -> r.path("serialNumber").asText().startsWith(prefix)).count();
        }
    }

    /** The import calls whose devices' serial numbers start with {@code serialPrefix}. */
    public List<ImportCall> importCallsFor(String serialPrefix) {
        return importCalls().stream().filter(c -> !c.serials().isEmpty() && c.serials().get(0).startsWith(serialPrefix)).toList();
    }

    public List<ImportCall> importCalls() {
        synchronized (imports.importCalls) {
            return List.copyOf(imports.importCalls);
        }
    }

    /** How many times Graph created a record for this serial number (import or create). */
    public int registrations(String serial) {
        AtomicInteger n = imports.registrations.get(serial);
        return n == null ? 0 : n.get();
    }

    /** The device object last accepted for this serial number, as it was sent. */
    public JsonNode lastSent(String serial) {
        return imports.lastSent.get(serial);
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

    /** Deployment profile assignment of registered devices, as modes (read in Graph's beta). */
    public ProfileAssignments profiles() { return profiles; }
    /** updateDeviceProperties actions Graph carried out, in all and for one serial number. */
    public int propertyUpdates() { return registered.updates(); }
    public int propertyUpdates(String serial) { return registered.updates(serial); }

    /** The most Graph calls that were being answered at the same moment. */
    public int maxConcurrentCalls() {
        return router.maxInFlight.get();
    }

    /** Every Graph call so far, in order of arrival. */
    public List<Received> received() {
        synchronized (router.received) {
            return List.copyOf(router.received);
        }
    }

    /** Waits until clean-up, which follows the reports, has deleted every imported record of these serials. */
    public void awaitCleanedUp(String serialPrefix) {
        Awaitility.await(serialPrefix + " records deleted").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> recordsWithSerialPrefix(serialPrefix) == 0);
    }

    /** How many staged records Graph holds. */
    public int storedRecords() {
        return staged.records.size();
    }

    public List<ImportCall> syncCalls() {
        synchronized (faults.syncCalls) {
            return List.copyOf(faults.syncCalls);
        }
    }

    /** The last client assertion the token endpoint accepted. */
    public SignedJWT lastAssertion() {
        return tokens.lastAssertion;
    }

    // ---- how Graph behaves where it is not documented

    /** What the staged-records list does with an importId filter. */
    public void filter(Filter mode) { staged.filter = mode; }
    /** Whether {@code $select} is honoured; when not, pages carry every property, hashes included. */
    public void honourSelect(boolean honoured) { staged.selectHonoured = honoured; }
    /** Whether {@code $top} is honoured (up to {@link #maxPageSize(int)}); when not, pages hold 100 records. */
    public void honourTop(boolean honoured) { staged.topHonoured = honoured; }
    /** The largest page Graph serves, whatever $top asks for. */
    public void maxPageSize(int size) { staged.maxPageSize = size; }
    /** The page size of the registered-device list (Graph serves about 1,000). */
    public void registeredPageSize(int size) { registered.pageSize(size); }
    /**
     * An updated device shows its old values to the next {@code looks} reads and lists before the new ones, as
     * Intune's updates are reported to take a while to show (0: at once).
     */
    public void updatesShowAfter(int looks) { registered.updatesShowAfter(looks); }
    /** Lists come in no particular order (by id) instead of the order records were made. */
    public void anyOrder(boolean any) { staged.anyOrder = any; }
    /**
     * Whether a $batch's answers come in the order of its requests. Graph promises no order for requests without
     * {@code dependsOn}, so by default the stand-in answers them in reverse: a service that pairs answers with requests
     * by position instead of by id fails every test that batches more than one request.
     */
    public void answerBatchesInRequestOrder(boolean inOrder) { batch.batchInRequestOrder = inOrder; }
    /** Records stay {@code unknown} for their first {@code observations} listings or reads before {@code pending}. */
    public void unknownFor(int count) { staged.unknownObservations = count; }
    /** Every record is final at its first listing, as when Graph processes an import at once. */
    public void settleAtOnce() { staged.settleAtOnce = true; }

    /** Back to Graph's most helpful behaviour: filter, $select and $top honoured, records in the order made. */
    public void resetListing() {
        staged.resetListing();
    }

    /**
     * A record left over from an earlier import (another tool's, or an import never cleaned up), in {@code error}
     * with the given code and name, carrying {@code serial}: it must never be taken for the record of a new import.
     */
    public void stageLeftover(String serial, String importId, int errorCode, String errorName) {
        staged.stageLeftover(serial, importId, errorCode, errorName);
    }

    /** Removes the records of an earlier import (as its tool's own clean-up would). */
    public void unstage(String importId) {
        staged.records.values().removeIf(record -> importId.equals(record.path("importId").asText()));
    }

    // ---- faults

    /** Whether a test or the command line set a budget ({@link #enforceBudget}); package-private for the commands. */
    boolean budgetEnforced() {
        return faults.budget != null;
    }

    /**
     * Throttles as Intune does: at most {@code writes} writes and {@code requests} requests per 20 seconds, every
     * request inside a $batch counting on its own; over it, 429 with Retry-After, or, when {@code retryAfter} is
     * false, without one and with {@code "RetryAfter": null} in the body, as Intune often answers.
     */
    public void enforceBudget(int writes, int requests, boolean retryAfter) {
        faults.budget = new IntuneBudget(writes, requests);
        faults.budgetRetryAfter = retryAfter;
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
        batch.throttleBatchDeletes.set(count);
    }

    /** The URLs of the deletes {@link #throttleNextBatchDeletes} answered 429, in the order they came. */
    public List<String> throttledDeletes() {
        synchronized (batch.throttledDeletes) {
            return List.copyOf(batch.throttledDeletes);
        }
    }

    /** Every token issued so far stops working, as after expiry: Graph answers 401 until a new one is fetched. */
    public void expireTokens() {
        tokens.validTokens.clear();
    }

    /** The next {@code count} import calls are answered 429 with Retry-After. */
    public void throttleNextImports(int count, int retryAfter) {
        script(imports.importScript, count, new Scripted(429, retryAfter, false));
    }

    /** Runs {@code action} when the next import call arrives, before it is answered: what happens meanwhile elsewhere. */
    public void onNextImport(Runnable action) {
        imports.onNextImport = action;
    }

    /** The next {@code count} import calls fail with {@code status} (503, 500...) and store nothing. */
    public void failNextImports(int count, int status) {
        script(imports.importScript, count, new Scripted(status, null, false));
    }

    /** The next {@code count} reads (GET requests of their own) fail with {@code status}, as while Graph is down. */
    public void failNextReads(int count, int status) {
        router.failingReads.set(count);
        router.readFailureStatus = status;
    }

    /** The next import call is carried out, but the caller gets a 504 instead of the answer. */
    public void loseNextImportAnswer() {
        script(imports.importScript, 1, new Scripted(504, null, true));
    }

    /** The next {@code count} import calls are carried out, but answered {@code status} (a 500 or 502 of a gateway). */
    public void actThenFailNextImports(int count, int status) {
        script(imports.importScript, count, new Scripted(status, null, true));
    }

    /**
     * Graph and its token endpoint are down for {@code period} from now: every request is answered {@code status}
     * (503 as a front door says it, 502 as a broken gateway), and nothing is carried out.
     */
    public void downFor(Duration period, int status) {
        faults.downStatus = status;
        faults.downUntil = System.nanoTime() + period.toNanos();
    }

    /** The application permissions granted to the app (with admin consent), as new tokens will carry them. */
    public void grantRoles(String... granted) {
        tokens.roles = List.of(granted);
    }

    /** The next {@code count} token requests fail: 400 is a refused credential, 5xx a passing outage. */
    public void failNextTokenRequests(int count, int status) {
        script(tokens.tokenScript, count, new Scripted(status, null, false));
    }

    /** The next sync requests are answered with these statuses, each with Retry-After: 1. */
    public void answerNextSyncs(int... statuses) {
        for (int status : statuses) {
            faults.syncScript.add(new Scripted(status, 1, false));
        }
    }

    /** How long every Graph call takes to answer, as over a real network: batching and pipelining only show with it. */
    public void latency(Duration delay) {
        router.latency = delay;
    }

    /** Import calls are answered this much later again, as a busy Graph answers. */
    public void delayImports(Duration delay) {
        imports.importDelay = delay;
    }

    /** The largest import call Graph accepts; larger ones are refused with 400. */
    public void maxBatch(int size) {
        imports.maxBatch = size;
    }

    /** Token requests must carry a client assertion signed for this certificate. */
    public void expectCertificate(X509Certificate expected) {
        tokens.certificate = expected;
    }


    /** For tests of the stand-in itself, which send requests Graph would not read on purpose. */
    public void expectMalformedRequests() {
        refusals.malformedExpected = true;
    }

    /**
     * Stops the stand-in, and fails the test class that used it if the service sent a request Graph would not have read
     * (a body that is not one JSON value of known properties, a wrong Content-Length, an unknown parameter or URL, an
     * oversized $batch): however the test's own assertions went, such a request fails against Graph.
     */
    @Override
    public void close() {
        server.close();
        refusals.check();
    }
}
