package org.autopilotbridge.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A local, stateful stand-in for the Entra ID token endpoint and Graph's importedWindowsAutopilotDeviceIdentities,
 * on a free loopback port. It is at least as strict as Graph where Graph's behaviour is known: request bodies are
 * read as Graph's OData reader reads them ({@link StrictRequests}), and a request Graph would not read fails the test
 * ({@link #close}). Where Graph's behaviour is not documented, each plausible behaviour is a mode the tests choose.
 *
 * <p>What happens to a device is chosen by a marker in its serial number: {@code -R806-} (a device registered before,
 * with no group tag or user, so its import ends in 806), {@code -R808-} ({@code -R808B-} with the "AnotherTenant"
 * spelling), {@code -R802-}, {@code -RDUP-} (ZtdDeviceDuplicated) and {@code -RERR-} (StorageError) end in those
 * errors, {@code -RSTUCK-} never leaves pending and {@code -RREFUSE-} makes Graph refuse any request carrying it.
 *
 * <p>This class holds the lifecycle and the HTTP side; tests reach each concern through its accessor, and each
 * concern documents its own calls: {@link #tokens()} (Entra ID), {@link #imports()} (import and create),
 * {@link #staged()} (the staging area), {@link #devices()} (registered devices), {@link #batches()} ($batch) and
 * {@link #faults()} (budget, outages, sync).
 */
public final class GraphStandIn implements AutoCloseable {

    public static final String TENANT = "contoso-test";
    public static final String CLIENT_ID = "7f0c1c9e-client";
    private static final String UNTHROTTLED = "1000000";

    /** One import action (or sync) call as Graph received it. */
    public record ImportCall(List<String> serials, int status, long atMillis) {
    }

    /** One DELETE inside a $batch call: the record's URL, the status Graph answered it, and when. */
    public record BatchDelete(String url, int status, long atMillis) {
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
     * stand-in throttles only when a test asks it to ({@link GraphFaults#enforceBudget}), and then the test sets the budget.
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

    // ---- each concern, where its behaviour and the calls that set or read it live

    public GraphTokens tokens() { return tokens; }
    public ImportEndpoint imports() { return imports; }
    public StagedRecords staged() { return staged; }
    public RegisteredDevices devices() { return registered; }

    /** Deployment profile assignment of registered devices, as modes (read in Graph's beta). */
    public ProfileAssignments profiles() { return profiles; }

    /** Requests refused so far, for their framing, their body or what they ask (400, 411...). */
    int refusals() { return refusals.refusals.get(); }
    public GraphBatch batches() { return batch; }
    public GraphFaults faults() { return faults; }

    // ---- the HTTP side, every Graph call whatever it asks for

    public int requests() { return router.requests.get(); }
    /** DELETE calls on single records (not counting deletes inside $batch calls). */
    public int deletes() { return router.deletes.get(); }

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

    /** The next {@code count} reads (GET requests of their own) fail with {@code status}, as while Graph is down. */
    public void failNextReads(int count, int status) {
        router.failingReads.set(count);
        router.readFailureStatus = status;
    }

    /** How long every Graph call takes to answer, as over a real network: batching and pipelining only show with it. */
    public void latency(Duration delay) {
        router.latency = delay;
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
