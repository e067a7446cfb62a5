package org.autopilotbridge.update;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.graph.AutopilotDevices;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.RegisteredDevice;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.DeviceUpdate;
import org.autopilotbridge.ledger.UpdateChunk;
import org.autopilotbridge.ledger.UpdateChunk.Step;
import org.autopilotbridge.ledger.UpdateLedger;
import org.autopilotbridge.ledger.UpdateLedger.Finished;
import org.autopilotbridge.ledger.UpdateLedger.Found;
import org.autopilotbridge.ledger.UpdateLedger.Later;
import org.autopilotbridge.track.BatchWorkers;
import org.autopilotbridge.track.Wakeups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Re-tags and re-assigns registered Autopilot devices as their lines ask, 20 to a JSON $batch call and several calls
 * at once: each device is found by its serial number, and only what differs is sent through updateDeviceProperties.
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

    private final AutopilotProperties properties;
    private final UpdateLedger updates;
    private final AutopilotDevices graph;
    private final Wakeups wakeups;
    private final BatchWorkers workers;

    public DeviceUpdater(AutopilotProperties properties, UpdateLedger updates, AutopilotDevices graph, Wakeups wakeups,
                         CamelContext camel) {
        this.properties = properties;
        this.updates = updates;
        this.graph = graph;
        this.wakeups = wakeups;
        this.workers = new BatchWorkers(camel, this, "graph-update", properties.getGraphConcurrency());
    }

    /**
     * Works on every update that is due, several chunks at once, until none is left or the service stops, then has
     * the route woken when the next one is due; returns how many chunks were worked on.
     */
    public int updateDue() {
        // Claims older than this run were left by a run that ended without finishing them.
        Instant runStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        int chunks = workers.drain(() -> updates.claimNext(CHUNK, runStart), this::work);
        updates.nextDue().ifPresent(next -> wakeups.at(next, Wakeups.UPDATE));
        return chunks;
    }

    private void work(UpdateChunk chunk) {
        Results results = new Results();
        switch (chunk.step()) {
            case FIND -> find(chunk.updates(), results);
            case SEND -> send(chunk.updates(), results);
            case VERIFY -> verify(chunk.updates(), results);
        }
        updates.record(results.found, results.later, results.finished);
    }

    private void find(List<DeviceUpdate> chunk, Results results) {
        List<AutopilotDevices.Lookup> lookups;
        try {
            lookups = graph.findBySerial(chunk.stream().map(DeviceUpdate::serialNumber).toList());
        } catch (GraphException e) {
            LOG.warn("Cannot look up {} registered devices: {}", chunk.size(), e.describe());
            chunk.forEach(u -> results.tryAgain(u, Step.FIND, e));
            return;
        }
        for (int i = 0; i < chunk.size(); i++) {
            DeviceUpdate update = chunk.get(i);
            AutopilotDevices.Lookup lookup = lookups.get(i);
            if (lookup.failure() != null) {
                results.tryAgain(update, Step.FIND, lookup.failure());
            } else if (lookup.devices().isEmpty()) {
                results.finish(update, UpdateVerdict.notFound(update), null);
            } else if (lookup.devices().size() > 1) {
                results.finish(update, UpdateVerdict.ambiguous(update, lookup.devices()), null);
            } else {
                RegisteredDevice device = lookup.devices().get(0);
                if (UpdateVerdict.changes(update, device.groupTag(), device.userPrincipalName()).isEmpty()) {
                    results.finish(update, UpdateVerdict.unchanged(update, device), device.id());
                } else {
                    results.found.add(new Found(update, device.id(), device.groupTag(), device.userPrincipalName()));
                }
            }
        }
    }

    private void send(List<DeviceUpdate> chunk, Results results) {
        List<GraphException> answers;
        try {
            answers = graph.updateProperties(chunk.stream().map(UpdateVerdict::request).toList());
        } catch (GraphException e) {
            LOG.warn("No answer to the updates of {} registered devices ({}); they are read again before they are sent again",
                    chunk.size(), e.describe());
            chunk.forEach(u -> results.tryAgain(u, Step.VERIFY, e));
            return;
        }
        for (int i = 0; i < chunk.size(); i++) {
            DeviceUpdate update = chunk.get(i);
            GraphException failure = answers.get(i);
            if (failure == null) {
                results.finish(update, UpdateVerdict.updated(update), update.registeredId());
                LOG.info("Registered device {} ({}): {}", update.serialNumber(), update.registeredId(),
                        UpdateVerdict.updated(update).detail());
            } else {
                // 412 ConditionNotMet: Graph did not act, send it again later. No answer or a 5xx: it may have acted,
                // read the device again first.
                results.tryAgain(update, failure.status() == 412 || failure.status() == 429 ? Step.SEND : Step.VERIFY, failure);
            }
        }
    }

    private void verify(List<DeviceUpdate> chunk, Results results) {
        List<AutopilotDevices.Read> reads;
        try {
            reads = graph.read(chunk.stream().map(DeviceUpdate::registeredId).toList());
        } catch (GraphException e) {
            chunk.forEach(u -> results.tryAgain(u, Step.VERIFY, e));
            return;
        }
        for (int i = 0; i < chunk.size(); i++) {
            DeviceUpdate update = chunk.get(i);
            AutopilotDevices.Read read = reads.get(i);
            if (read.failure() != null) {
                results.tryAgain(update, Step.VERIFY, read.failure());
            } else if (UpdateVerdict.changes(update, read.device().groupTag(), read.device().userPrincipalName()).isEmpty()) {
                results.finish(update, UpdateVerdict.updated(update), update.registeredId());
            } else {
                // The change did not arrive (or does not show yet): it is sent again, which changes nothing twice.
                results.later.add(new Later(update, Step.SEND, Instant.now(), false, null));
            }
        }
    }

    /** What one chunk's step did, recorded in one transaction. */
    private final class Results {
        final List<Found> found = new ArrayList<>();
        final List<Later> later = new ArrayList<>();
        final List<Finished> finished = new ArrayList<>();

        void finish(DeviceUpdate update, DeviceOutcome outcome, String registeredId) {
            finished.add(new Finished(update, outcome, registeredId));
        }

        /** A failed try: again later while tries are left and the failure may pass, else the line fails with it. */
        void tryAgain(DeviceUpdate update, Step step, GraphException failure) {
            int tries = update.attempts() + 1;
            if (UpdateVerdict.passing(failure) && tries < properties.getUpdateAttempts()) {
                Duration wait = properties.getUpdateRetryDelay().multipliedBy(1L << Math.min(update.attempts(), 10));
                later.add(new Later(update, step, Instant.now().plus(wait), true, failure.describe()));
            } else {
                LOG.warn("Registered device {} not changed: {}", update.serialNumber(), failure.describe());
                finish(update, UpdateVerdict.failed(failure, tries), null);
            }
        }
    }
}
