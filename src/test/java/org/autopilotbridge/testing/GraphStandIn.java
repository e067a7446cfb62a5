package org.autopilotbridge.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 *
 * <p>It serves one tenant, {@link #TENANT}, unless told to serve more ({@link #addTenant}): each tenant has all of
 * these concerns of its own ({@link StandInTenant}), its token endpoint at {@code /<tenant id>/oauth2/v2.0/token}
 * issues tokens that name it, and a Graph call is served from the tenant its token names only, spending that
 * tenant's Intune budget. The accessors above are the default tenant's; the HTTP side's counts are over every tenant.
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

    private final GraphRefusals refusals = new GraphRefusals();
    private final String clientSecret;
    /** Every tenant served, by id in lower case (Entra reads tenant ids so), the default tenant first. */
    private final Map<String, StandInTenant> tenants = Collections.synchronizedMap(new LinkedHashMap<>());
    private final StandInTenant tenant;
    private final GraphRouter router;
    private final LoopbackServer server;

    public GraphStandIn(String clientSecret) {
        this.clientSecret = clientSecret;
        this.tenant = addTenant(TENANT);
        this.router = new GraphRouter(refusals, id -> id == null ? null : tenants.get(id.toLowerCase(Locale.ROOT)), tenant,
                this::graphUrl);
        this.server = new LoopbackServer(router::handle);
    }

    /**
     * Serves another tenant as well, with the same app (client id and secret) consented in it, no devices, and a
     * budget, outages and sync of its own; a Graph call with its token sees only it. Tokens for a tenant the stand-in
     * does not serve are refused with AADSTS700016, as for a tenant without the app's consent.
     */
    public StandInTenant addTenant(String tenantId) {
        StandInTenant added = new StandInTenant(tenantId, clientSecret, this::baseUrl, this::graphUrl, refusals);
        if (tenants.putIfAbsent(tenantId.toLowerCase(Locale.ROOT), added) != null) {
            throw new IllegalArgumentException("the stand-in serves tenant " + tenantId + " already");
        }
        return added;
    }

    /** The tenant every accessor of the stand-in itself reads, {@link #TENANT}. */
    public StandInTenant defaultTenant() {
        return tenant;
    }

    /** Every tenant served, the default one first, then in the order they were added. */
    public List<StandInTenant> tenants() {
        synchronized (tenants) {
            return List.copyOf(tenants.values());
        }
    }

    /**
     * The stand-in on its own, to run the packaged service against it by hand:
     * {@code java -cp <test classpath> org.autopilotbridge.testing.GraphStandIn SECRET [filter=ignored] [select=ignored]
     * [top=ignored] [order=any] [batch-order=requests] [unknown=N] [latency-ms=N] [budget=WRITES/REQUESTS[/no-retry-after]]
     * [registered=FILE] [tenant=ID[/no-consent]]...}, where FILE holds the devices registered in the default tenant, one
     * {@code serial,groupTag,user} a line, and each {@code tenant} is served as well (its id letters, digits and
     * {@code -}; without the app's consent at first with {@code /no-consent}); Graph's modes and the budget hold in every
     * tenant, each with a budget of its own. It prints the service settings that point at it (with tenants, one
     * {@code autopilot.tenants.<id>.tenant-id} each, the default tenant's too), and takes faults on standard input
     * ({@link GraphStandInCommands}), for the default tenant or, as {@code tenant ID COMMAND}, for another.
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
        return asArguments(settings(true));
    }

    /**
     * Points the service at this stand-in as its tenant, with the client secret (or none, for certificates), and lifts
     * the service's Graph budget (Intune's 100 writes per 20 s would make clean-up in a test take minutes): the
     * stand-in throttles only when a test asks it to ({@link GraphFaults#enforceBudget}), and then the test sets the budget.
     */
    public void register(DynamicPropertyRegistry registry, boolean withSecret) {
        settings(withSecret).forEach((key, value) -> registry.add(key, () -> value));
    }

    /** The single-tenant settings: the default tenant's id and the app's settings. */
    private Map<String, String> settings(boolean withSecret) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("autopilot.tenant-id", TENANT);
        settings.putAll(appSettings(withSecret));
        return settings;
    }

    /**
     * The settings of a service serving these tenants, by the name each has in its configuration
     * ({@code autopilot.tenants.<name>.tenant-id}), with the app's settings every tenant shares as top-level keys (client
     * id and secret, authority and Graph URLs, the lifted Graph budget, as for {@link #register}), and no
     * {@code autopilot.tenant-id}.
     */
    public Map<String, String> settings(Map<String, StandInTenant> tenantsByName) {
        Map<String, String> settings = new LinkedHashMap<>();
        tenantsByName.forEach((name, named) -> settings.putAll(named.settings(name)));
        settings.putAll(appSettings(true));
        return settings;
    }

    /** The same {@link #settings(Map)} as command-line arguments, for a service in a JVM of its own. */
    public List<String> arguments(Map<String, StandInTenant> tenantsByName) {
        return asArguments(settings(tenantsByName));
    }

    private static List<String> asArguments(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    private Map<String, String> appSettings(boolean withSecret) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("autopilot.client-id", CLIENT_ID);
        if (withSecret) {
            settings.put("autopilot.client-secret", clientSecret);
        }
        settings.put("autopilot.authority-url", baseUrl());
        settings.put("autopilot.graph-url", graphUrl());
        settings.put("autopilot.graph-budget.writes-per-20s", UNTHROTTLED);
        settings.put("autopilot.graph-budget.requests-per-20s", UNTHROTTLED);
        return settings;
    }

    public String tokenUrl() {
        return tenant.tokenUrl();
    }

    public String graphUrl() {
        return baseUrl() + GraphRouter.VERSION;
    }

    // ---- each concern of the default tenant, where its behaviour and the calls that set or read it live

    public GraphTokens tokens() { return tenant.tokens(); }
    public ImportEndpoint imports() { return tenant.imports(); }
    public StagedRecords staged() { return tenant.staged(); }
    public RegisteredDevices devices() { return tenant.devices(); }

    /** Deployment profile assignment of registered devices, as modes (read in Graph's beta). */
    public ProfileAssignments profiles() { return tenant.profiles(); }

    /** Requests refused so far, for their framing, their body or what they ask (400, 411...), in every tenant. */
    int refusals() { return refusals.refusals.get(); }
    public GraphBatch batches() { return tenant.batches(); }
    public GraphFaults faults() { return tenant.faults(); }

    // ---- the HTTP side, every Graph call whatever it asks for and whichever tenant it is for

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

    /**
     * For tests that kill an instance with {@code kill -9} at any moment: a body cut short by its sender's death is
     * not held against the service. Any other request Graph would not read still fails the test.
     */
    public void expectTornBodies() {
        refusals.tornExpected = true;
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
