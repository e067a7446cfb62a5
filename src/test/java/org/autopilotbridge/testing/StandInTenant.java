package org.autopilotbridge.testing;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One Entra tenant the stand-in serves, with everything Graph keeps per tenant: its token endpoint and the tokens it
 * issued (each says this tenant in its {@code tid} claim, and a Graph call is served from the state of the tenant its
 * token names, and only that), its staging area, registered devices, $batch counts, profile assignments, and its own
 * Intune budget, outages and sync (Intune's limits are per app and tenant). The one app, {@link GraphStandIn#CLIENT_ID}
 * with the stand-in's secret, is the same in every tenant, as a multi-tenant app registration is. Tests get the
 * default tenant's parts straight from {@link GraphStandIn}, and another tenant's from {@link GraphStandIn#addTenant}.
 */
public final class StandInTenant {

    private final String id;
    private final RegisteredDevices registered = new RegisteredDevices(GraphAnswers.JSON);
    private final ProfileAssignments profiles = new ProfileAssignments();
    private final GraphFaults faults = new GraphFaults();
    private final GraphTokens tokens;
    private final StagedRecords staged;
    private final ImportEndpoint imports;
    private final GraphBatch batch;

    StandInTenant(String id, String clientSecret, Supplier<String> baseUrl, Supplier<String> graphUrl,
            GraphRefusals refusals) {
        this.id = id;
        this.tokens = new GraphTokens(id, clientSecret, baseUrl, refusals);
        this.staged = new StagedRecords(registered, graphUrl);
        this.imports = new ImportEndpoint(staged, registered, graphUrl);
        this.batch = new GraphBatch(faults, refusals);
    }

    /** The tenant id, as the token endpoint's path and the tokens' {@code tid} claim say it. */
    public String id() { return id; }

    /** This tenant's token endpoint, {@code <authority>/<tenant id>/oauth2/v2.0/token}. */
    public String tokenUrl() { return tokens.tokenUrl(); }

    /**
     * What a service serving this tenant under {@code name} (letters, digits and {@code -}) is told about it, besides
     * the app's settings every tenant shares ({@link GraphStandIn#settings(Map)}).
     */
    public Map<String, String> settings(String name) {
        return Map.of("autopilot.tenants." + name + ".tenant-id", id);
    }

    /** Its token endpoint, the tokens it issued, the roles they carry, and the app's consent in this tenant. */
    public GraphTokens tokens() { return tokens; }
    public ImportEndpoint imports() { return imports; }
    public StagedRecords staged() { return staged; }
    public RegisteredDevices devices() { return registered; }
    public ProfileAssignments profiles() { return profiles; }
    public GraphBatch batches() { return batch; }
    /** Its own Intune budget, outages and sync: nothing set here touches another tenant. */
    public GraphFaults faults() { return faults; }
}
