package org.autopilotbridge.update;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.apache.camel.CamelContext;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.UpdateProperties;
import org.autopilotbridge.graph.AutopilotDevices;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.GraphOutage;
import org.autopilotbridge.graph.RegisteredDevice;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.DeviceUpdate;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.UpdateChunk.Step;
import org.autopilotbridge.ledger.UpdateChunk;
import org.autopilotbridge.ledger.UpdateLedger.Finished;
import org.autopilotbridge.ledger.UpdateLedger.Found;
import org.autopilotbridge.ledger.UpdateLedger.Later;
import org.autopilotbridge.ledger.UpdateLedger;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.wake.BatchWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Re-tags, re-assigns and names registered Autopilot devices as their lines ask, 20 to a JSON $batch call and several calls
 * at once: each device is found by its serial number (a device its own import registered, by the id the import gave),
 * and only what differs is sent through updateDeviceProperties.
 * Every step's result is in the ledger before the next step: an update whose answer was not recorded (a crash, a lost
 * answer) is read again before it is sent again, so each line's outcome is recorded once. Passing failures (412
 * ConditionNotMet, 429, 5xx, no answer) are tried again after {@code autopilot.update-retry-delay}, doubling, up to
 * {@code autopilot.update-attempts} tries.
 */
@Component("deviceUpdater")
public class DeviceUpdater {

    /** Updates claimed together: one JSON $batch call's worth. */
    static final int CHUNK = 20;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceUpdater.class);
    /** One incident for every chunk: during a Graph outage each chunk's call fails for the same reason. */
    private static final String UPDATING = "Looking up and changing registered devices in Graph";

    private final UpdateProperties properties;
    private final UpdateLedger updates;
    private final TenantGraphs graphs;
    private final BatchWorkers workers;
    private final Incidents incidents;
    private final boolean followsProfiles;

    DeviceUpdater(UpdateProperties properties, GraphProperties graphSettings, ImportProperties imports, UpdateLedger updates,
                  TenantGraphs graphs, Incidents incidents, CamelContext camel) {
        this.followsProfiles = imports.followsProfiles();
        this.incidents = incidents;
        this.properties = properties;
        this.updates = updates;
        this.graphs = graphs;
        this.workers = new BatchWorkers(camel, this, "graph-update", graphSettings.getGraphConcurrency(),
                graphs.names().size());
    }

    /**
     * What a round of updates leaves for the update route to do: whether it found devices to import instead (not
     * registered after all), whether it updated devices for the profile stage (autopilot.profile-wait), and when the
     * next update is due (null: none is waiting).
     */
    public record Round(int chunks, boolean importsFound, boolean profilesFound, Instant nextDue) {
    }

    /** Works on every update that is due, several chunks at once, until none is left or the service stops. */
    public Round updateDue() {
        AtomicBoolean importsFound = new AtomicBoolean();
        AtomicBoolean updated = new AtomicBoolean();
        int chunks = workers.drain(busy -> graphs.claimInTurn(busy, tenant -> updates.claimNext(CHUNK, tenant)),
                UpdateChunk::tenant, chunk -> work(chunk, importsFound, updated), updates::release);
        return new Round(chunks, importsFound.get(), updated.get() && followsProfiles, updates.nextDue().orElse(null));
    }

    private void work(UpdateChunk chunk, AtomicBoolean importsFound, AtomicBoolean updated) {
        if (chunk.step() == Step.SEND && !updates.stillHeld(chunk)) {
            // Another instance may hold some of these updates now (this one paused, or lost the ledger, past its
            // lease): they are given back unsent, and are read again before any change is sent.
            LOG.warn("{} updates not sent: this instance's lease on them ran out", chunk.updates().size());
            updates.release(chunk);
            return;
        }
        Results results = new Results();
        List<DeviceUpdate> claimed = chunk.updates();
        AutopilotDevices graph = graphs.of(chunk.tenant()).devices();
        switch (chunk.step()) {
            case FIND -> results.each(claimed, Step.FIND, () -> graph.findBySerial(serials(claimed)), results::afterLookup);
            case SEND -> results.each(claimed, Step.VERIFY, () -> graph.updateProperties(requests(claimed)), results::afterSend);
            case VERIFY -> results.each(claimed, Step.VERIFY, () -> graph.read(deviceIds(claimed)), results::afterRead);
        }
        updates.record(results.found, results.later, results.finished, results.toImport);
        if (!results.toImport.isEmpty()) {
            importsFound.set(true);
        }
        // A device named after its own import ends imported: followed for its profile from then on, as updated ones are.
        if (results.finished.stream().anyMatch(f -> f.outcome().outcome() == Outcome.UPDATED || f.outcome().outcome() == Outcome.IMPORTED)) {
            updated.set(true);
        }
    }

    private static List<String> serials(List<DeviceUpdate> chunk) {
        return chunk.stream().map(DeviceUpdate::serialNumber).toList();
    }

    private static List<AutopilotDevices.PropertyUpdate> requests(List<DeviceUpdate> chunk) {
        return chunk.stream().map(UpdateVerdict::request).toList();
    }

    private static List<String> deviceIds(List<DeviceUpdate> chunk) {
        return chunk.stream().map(DeviceUpdate::registeredId).toList();
    }

    /** One Graph call for a chunk of updates, answering for each of them. */
    @FunctionalInterface
    private interface ChunkCall<A> {
        List<A> call() throws GraphException;
    }

    /** What one chunk's step did, recorded in one transaction. */
    private final class Results {
        final List<Found> found = new ArrayList<>();
        final List<Later> later = new ArrayList<>();
        final List<Finished> finished = new ArrayList<>();
        final List<DeviceUpdate> toImport = new ArrayList<>();

        /**
         * Makes the chunk's call and hands each update its own answer; when the call fails as a whole, each update is
         * tried again at {@code retryStep} (after a change that may have reached Graph: read again first).
         */
        <A> void each(List<DeviceUpdate> chunk, Step retryStep, ChunkCall<A> call, BiConsumer<DeviceUpdate, A> handle) {
            List<A> answers;
            try {
                answers = call.call();
            } catch (GraphException e) {
                incidents.failing(LOG, UPDATING, e.reason());
                chunk.forEach(update -> tryAgain(update, retryStep, e));
                return;
            }
            incidents.working(LOG, UPDATING);
            for (int i = 0; i < chunk.size(); i++) {
                handle.accept(chunk.get(i), answers.get(i));
            }
        }

        void afterLookup(DeviceUpdate update, AutopilotDevices.Lookup lookup) {
            if (lookup.failure() != null) {
                tryAgain(update, Step.FIND, lookup.failure());
            } else if (lookup.devices().isEmpty() && update.importable()) {
                // Registered by this service from an earlier file, and deleted in Intune since: imported again.
                toImport.add(update);
            } else if (lookup.devices().isEmpty()) {
                finish(update, UpdateVerdict.notFound(update), null);
            } else if (lookup.devices().size() > 1) {
                finish(update, UpdateVerdict.ambiguous(update, lookup.devices()), null);
            } else {
                RegisteredDevice device = lookup.devices().get(0);
                if (UpdateVerdict.changes(update, device).isEmpty()) {
                    finish(update, UpdateVerdict.unchanged(update, device), device.id());
                } else {
                    found.add(new Found(update, device.id(), device.groupTag(), device.userPrincipalName(), device.displayName()));
                }
            }
        }

        /** {@code failure} is null when Graph carried the change out (204). */
        void afterSend(DeviceUpdate update, GraphException failure) {
            if (failure == null) {
                DeviceOutcome updated = UpdateVerdict.updated(update);
                finish(update, updated, update.registeredId());
                LOG.info("Registered device {} ({}): {}", update.serialNumber(), update.registeredId(), updated.detail());
            } else {
                // 412 ConditionNotMet or 429: Graph did not act, send it again later. No answer or a 5xx: it may have
                // acted, read the device again first.
                tryAgain(update, failure.status() == 412 || failure.status() == 429 ? Step.SEND : Step.VERIFY, failure);
            }
        }

        void afterRead(DeviceUpdate update, AutopilotDevices.Read read) {
            if (read.failure() != null) {
                tryAgain(update, Step.VERIFY, read.failure());
            } else if (UpdateVerdict.changes(update, read.device()).isEmpty()) {
                finish(update, UpdateVerdict.updated(update), update.registeredId());
            } else if (anotherTry(update)) {
                // The change did not arrive (or does not show yet): it is sent again, which changes nothing twice. A
                // try all the same, so that a change that never shows is not sent for ever.
                later.add(new Later(update, Step.SEND, Instant.now(), true, UpdateVerdict.NOT_SHOWN));
            } else {
                finish(update, UpdateVerdict.notShown(update, update.attempts() + 1), null);
            }
        }

        void finish(DeviceUpdate update, DeviceOutcome outcome, String registeredId) {
            finished.add(new Finished(update, outcome, registeredId));
        }

        /** A failed try: again later while tries are left and the failure may pass, else the line fails with it. */
        void tryAgain(DeviceUpdate update, Step step, GraphException failure) {
            // A device gone by its id (deleted, or registered again under another id) is looked up again.
            boolean gone = UpdateVerdict.gone(failure) && step != Step.FIND;
            if (GraphOutage.passing(failure)) {
                // An outage (no answer, 429, 5xx, access refused) says nothing about the device: no try is used up.
                Duration wait = properties.getUpdateRetryDelay().multipliedBy(1L << Math.min(update.attempts(), 10));
                later.add(new Later(update, step, Instant.now().plus(wait), false, failure.describe()));
            } else if ((gone || UpdateVerdict.passing(failure)) && anotherTry(update)) {
                Duration wait = properties.getUpdateRetryDelay().multipliedBy(1L << Math.min(update.attempts(), 10));
                later.add(new Later(update, gone ? Step.FIND : step, Instant.now().plus(wait), true, failure.describe()));
            } else {
                LOG.warn("Registered device {} not changed: {}", update.serialNumber(), failure.describe());
                finish(update, UpdateVerdict.failed(update, failure, update.attempts() + 1), null);
            }
        }

        /** Whether the try that just failed leaves another within autopilot.update-attempts. */
        boolean anotherTry(DeviceUpdate update) {
            return update.attempts() + 1 < properties.getUpdateAttempts();
        }
    }
}
