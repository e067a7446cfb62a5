package org.autopilotbridge.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.graph.GraphClient;
import org.autopilotbridge.graph.GraphException;
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
    private final GraphClient graph;

    AutopilotSync(ImportProperties settings, TenantProperties tenantSettings, TenantLedger tenant, GraphClient graph) {
        this.settings = settings;
        this.tenantSettings = tenantSettings;
        this.tenant = tenant;
        this.graph = graph;
    }

    /**
     * Called with a finished file's outcome counts: a file that imported devices, or changed the group tag or user of
     * registered ones, wants a sync (so that the changes reach Entra ID's device objects and their dynamic groups).
     */
    public void requestIfChanged(Map<Outcome, Integer> outcomes) {
        if (settings.isSync() && !tenantSettings.isDryRunEffective()
                && outcomes.getOrDefault(Outcome.IMPORTED, 0) + outcomes.getOrDefault(Outcome.UPDATED, 0) > 0) {
            tenant.requestSync();
        }
    }

    /** Requests the sync if one is wanted and Graph's 10-minute rule allows it; returns true if it went through. */
    public boolean syncIfDue() {
        SyncState state = tenant.syncState();
        Instant now = Instant.now();
        if (state.requestedAt() == null || !now.isAfter(earliest(state))) {
            return false;
        }
        // Several instances: only the one that moves the next try on from what it read makes the call.
        if (!tenant.claimSync(state, now.plus(BUSY_RETRY))) {
            return false;
        }
        try {
            graph.requestAutopilotSync();
            // Graph counts its ten minutes and any Retry-After from when it answered, not from when we asked.
            tenant.syncDone(Instant.now());
            LOG.info("Requested an Autopilot sync for the devices imported since {}", state.requestedAt());
            return true;
        } catch (GraphException e) {
            Duration wait = e.retryAfter() != null ? e.retryAfter()
                    : e.status() == 409 ? BUSY_RETRY : MIN_INTERVAL;
            tenant.syncDeferred(Instant.now().plus(wait), e.describe());
            if (e.status() == 429 || e.status() == 409) {
                LOG.info("Autopilot sync not yet possible ({}); next try in {} s", e.describe(), wait.toSeconds());
            } else {
                LOG.warn("Autopilot sync failed ({}); next try in {} s", e.describe(), wait.toSeconds());
            }
            return false;
        }
    }

    /** When a wanted sync may be tried next (Graph's 10-minute rule, or a busy Graph's answer); null when none is wanted. */
    public Instant nextTry() {
        SyncState state = tenant.syncState();
        return state.requestedAt() == null ? null : earliest(state);
    }

    private static Instant earliest(SyncState state) {
        Instant earliest = state.lastSyncAt() == null ? Instant.MIN : state.lastSyncAt().plus(MIN_INTERVAL);
        return state.nextTryAt() != null && state.nextTryAt().isAfter(earliest) ? state.nextTryAt() : earliest;
    }
}
