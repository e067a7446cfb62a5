package org.autopilotbridge.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.TenantGraph;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.SyncState;
import org.autopilotbridge.ledger.TenantLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Asks Intune to sync with the Autopilot service after files whose devices imported or were updated, so the changes
 * show up without waiting for the next scheduled sync. Graph allows one sync per 10 minutes, so requests from many files are
 * merged into one; 429 (too soon) and 409 (a sync is running) only move the next try. A sync problem never
 * fails a file: the devices are registered either way.
 */
@Component("autopilotSync")
public class AutopilotSync {

    static final Duration MIN_INTERVAL = Duration.ofMinutes(10);
    private static final Duration BUSY_RETRY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(AutopilotSync.class);

    private final ImportProperties settings;
    private final TenantProperties tenantSettings;
    private final TenantLedger tenant;
    private final TenantGraphs graphs;

    AutopilotSync(ImportProperties settings, TenantProperties tenantSettings, TenantLedger tenant, TenantGraphs graphs) {
        this.settings = settings;
        this.tenantSettings = tenantSettings;
        this.tenant = tenant;
        this.graphs = graphs;
    }

    /**
     * Called with a finished file's outcome counts: a file that imported devices, or changed the group tag or user of
     * registered ones, wants a sync (so that the changes reach Entra ID's device objects and their dynamic groups).
     */
    public void requestIfChanged(String tenantName, Map<Outcome, Integer> outcomes) {
        if (settings.isSync() && !tenantSettings.isDryRunEffective()
                && outcomes.getOrDefault(Outcome.IMPORTED, 0) + outcomes.getOrDefault(Outcome.UPDATED, 0) > 0) {
            tenant.requestSync(tenantName);
        }
    }

    /**
     * Requests each tenant's sync that is wanted where Graph's 10-minute rule allows it (a tenant whose Graph cannot be
     * used is left for later); returns true if one went through.
     */
    public boolean syncIfDue() {
        Set<String> held = graphs.held();
        boolean synced = false;
        for (TenantGraph graph : graphs.all()) {
            if (!held.contains(graph.name())) {
                synced |= syncIfDue(graph);
            }
        }
        return synced;
    }

    private boolean syncIfDue(TenantGraph graph) {
        String tenantName = graph.name();
        SyncState state = tenant.syncState(tenantName);
        Instant now = Instant.now();
        if (state.requestedAt() == null || !now.isAfter(earliest(state))) {
            return false;
        }
        // Several instances: only the one that moves the next try on from what it read makes the call.
        if (!tenant.claimSync(tenantName, state, now.plus(BUSY_RETRY))) {
            return false;
        }
        try {
            graph.client().requestAutopilotSync();
            // Graph counts its ten minutes and any Retry-After from when it answered, not from when we asked.
            tenant.syncDone(tenantName, Instant.now());
            LOG.info("Requested an Autopilot sync{} for the devices imported since {}", where(graph), state.requestedAt());
            return true;
        } catch (GraphException e) {
            Duration wait = e.retryAfter() != null ? e.retryAfter()
                    : e.status() == 409 ? BUSY_RETRY : MIN_INTERVAL;
            tenant.syncDeferred(tenantName, Instant.now().plus(wait), e.describe());
            if (e.status() == 429 || e.status() == 409) {
                LOG.info("Autopilot sync{} not yet possible ({}); next try in {} s", where(graph), e.describe(), wait.toSeconds());
            } else {
                LOG.warn("Autopilot sync{} failed ({}); next try in {} s", where(graph), e.describe(), wait.toSeconds());
            }
            return false;
        }
    }

    /**
     * When a wanted sync may be tried next in any tenant (Graph's 10-minute rule, or a busy Graph's answer); null when
     * none is wanted.
     */
    public Instant nextTry() {
        Instant next = null;
        for (String name : graphs.names()) {
            SyncState state = tenant.syncState(name);
            if (state.requestedAt() != null && (next == null || earliest(state).isBefore(next))) {
                next = earliest(state);
            }
        }
        return next;
    }

    /** How the log names the tenant: only when the service serves several. */
    private String where(TenantGraph graph) {
        return graphs.names().size() > 1 ? " in tenant " + graph.tenant().describe() : "";
    }

    private static Instant earliest(SyncState state) {
        Instant earliest = state.lastSyncAt() == null ? Instant.MIN : state.lastSyncAt().plus(MIN_INTERVAL);
        return state.nextTryAt() != null && state.nextTryAt().isAfter(earliest) ? state.nextTryAt() : earliest;
    }
}
