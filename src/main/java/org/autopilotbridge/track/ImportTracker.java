package org.autopilotbridge.track;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.autopilotbridge.cleanup.ImportCleaner;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.UpdateProperties;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.GraphOutage;
import org.autopilotbridge.graph.TenantGraph;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.graph.ImportedDeviceIdentity.ImportState;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.ledger.BatchLedger;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.ImportBatch;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.PendingDevice;
import org.autopilotbridge.ledger.PolledDevice;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.wake.BatchWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Follows sent batches until every device is complete or in error, at most until poll-timeout, reading each
 * device's own staged record as {@link StagedRecords} finds it. A completed import keeps the id of the registered
 * device it made; a device found registered already (806) whose line names its own group tag, user or name, and a
 * device just imported whose line names it, are handed to the update stage (routes/45-update.camel.yaml). A settled
 * batch's file can be reported at once; its imported records are deleted afterwards by {@link ImportCleaner}.
 */
@Component("importTracker")
public class ImportTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ImportTracker.class);
    /** One incident for every batch: during a Graph outage each batch's poll fails for the same reason. */
    private static final String FOLLOWING = "Reading the import state of sent batches from Graph";

    private final GraphProperties properties;
    private final ImportProperties imports;
    private final UpdateProperties updateSettings;
    private final BatchLedger batches;
    private final DeviceLedger devices;
    private final StagedRecords staged;
    private final BatchWorkers workers;
    private final Incidents incidents;
    private final TenantGraphs graphs;
    private final TransactionOperations transactions;

    ImportTracker(GraphProperties properties, ImportProperties imports, UpdateProperties updateSettings, BatchLedger batches,
                         DeviceLedger devices, StagedRecords staged, Incidents incidents, TenantGraphs graphs, CamelContext camel,
                  TransactionOperations transactions) {
        this.transactions = transactions;
        this.graphs = graphs;
        this.incidents = incidents;
        this.properties = properties;
        this.imports = imports;
        this.updateSettings = updateSettings;
        this.batches = batches;
        this.devices = devices;
        this.staged = staged;
        this.workers = new BatchWorkers(camel, this, "graph-track", properties.getGraphConcurrency(),
                graphs.names().size());
    }

    /**
     * What a round of polls leaves for the track route to do: whether it found devices for the update stage, and
     * imported devices for the profile stage (autopilot.profile-wait), and when the next batch is due (null: none is
     * followed).
     */
    public record Round(int polled, boolean updatesFound, boolean profilesFound, Instant nextPoll) {
    }

    /** Polls every batch whose next poll is due, several at once, until none is left or the service stops. */
    public Round pollDue() {
        AtomicBoolean updatesFound = new AtomicBoolean();
        AtomicBoolean imported = new AtomicBoolean();
        int polled = workers.drain(busy -> batches.claimDue(Instant.now(), graphs.workable(busy)), ImportBatch::tenant,
                batch -> poll(batch, updatesFound, imported), batches::release);
        return new Round(polled, updatesFound.get(), imported.get() && imports.followsProfiles(),
                batches.nextPollAt().orElse(null));
    }

    private void poll(ImportBatch batch, AtomicBoolean updatesFound, AtomicBoolean imported) {
        // A poll made late (Graph held back by an outage or a Retry-After, the service stopped) asked Graph nothing in
        // the meantime: the deadline moves by the delay, as by an outage met during the poll itself.
        Instant started = Instant.now();
        Duration late = batch.nextPollAt() == null || started.isBefore(batch.nextPollAt()) ? Duration.ZERO
                : Duration.between(batch.nextPollAt(), started);
        List<PendingDevice> pending = devices.pendingDevices(batch.id());
        TenantGraph graph = graphs.of(batch.tenant());
        Duration downBefore = graph.outage().downTime();
        StagedRecords.Observation seen;
        try {
            seen = staged.observe(graph, batch.importId(), pending);
        } catch (GraphException e) {
            incidents.failing(LOG, FOLLOWING, e.reason());
            Instant deadline = deadline(batch, late, graph, downBefore);
            // A passing failure says nothing of the import: the batch waits for Graph however long the outage lasts.
            if (!GraphOutage.passing(e) && Instant.now().isAfter(deadline)) {
                timeOut(pending, "no final state from Graph within autopilot.poll-timeout; last poll failed: " + e.describe());
                batches.batchSettled(batch.id(), imports.isCleanup(), Map.of());
            } else {
                batches.nextPoll(batch.id(), Instant.now().plus(properties.getPollInterval()), deadline);
            }
            return;
        }
        incidents.working(LOG, FOLLOWING);
        Instant deadline = deadline(batch, late, graph, downBefore);
        if (Boolean.TRUE.equals(transactions.execute(status -> recordPoll(batch, pending, seen, deadline, updatesFound,
                imported)))) {
            LOG.info("Batch {} settled", batch.importId());
        }
    }

    /**
     * The batch's deadline moved by the time in which Graph could not be asked, which is not time Graph had: the poll's
     * lateness, and how long Graph has been unusable since {@code downBefore} was read from its outage.
     */
    private static Instant deadline(ImportBatch batch, Duration late, TenantGraph graph, Duration downBefore) {
        Duration met = graph.outage().downTime().minus(downBefore);
        return batch.pollDeadline().plus(late).plus(met.isNegative() ? Duration.ZERO : met);
    }

    /**
     * What a poll learned, and the batch's next poll or its settling, in one transaction: every commit stores the
     * ledger's changed pages. The poll that settles a batch writes no row for a device it found imported and has
     * nothing more to record for: the batch keeps how many there are and their registration ids as one value
     * ({@link BatchLedger#batchSettled}), so a batch of 500 imported devices costs one row write, not 500. Returns
     * whether the batch settled.
     */
    private boolean recordPoll(ImportBatch batch, List<PendingDevice> pending, StagedRecords.Observation seen, Instant deadline,
                               AtomicBoolean updatesFound, AtomicBoolean imported) {
        Poll poll = read(pending, seen);
        if (poll.updates()) {
            updatesFound.set(true);
        }
        if (poll.anyImported()) {
            imported.set(true);
        }
        if (poll.open().isEmpty() || Instant.now().isAfter(deadline)) {
            devices.recordPolled(poll.polled().stream().filter(d -> !poll.importedOnly().containsKey(d.id())).toList());
            if (!poll.open().isEmpty()) {
                timeOut(poll.open(), "no final state from Graph within autopilot.poll-timeout (" + properties.getPollTimeout() + ")");
            }
            batches.batchSettled(batch.id(), imports.isCleanup(), poll.importedOnly());
            return true;
        }
        devices.recordPolled(poll.polled());
        batches.nextPoll(batch.id(), Instant.now().plus(properties.getPollInterval()), deadline);
        return false;
    }

    /**
     * What a poll found: the devices it learned something about, those of them that are imported with nothing more to
     * record (by device, their registration ids, null where Graph gave none), and those still not final; whether a device
     * goes on to the update stage, and whether one completed.
     */
    private record Poll(List<PolledDevice> polled, Map<Long, String> importedOnly, List<PendingDevice> open, boolean updates,
                        boolean anyImported) {
    }

    private Poll read(List<PendingDevice> pending, StagedRecords.Observation seen) {
        List<PolledDevice> polled = new ArrayList<>();
        Map<Long, String> importedOnly = new HashMap<>();
        List<PendingDevice> open = new ArrayList<>();
        boolean updates = false;
        boolean anyImported = false;
        for (PendingDevice device : pending) {
            ImportedDeviceIdentity record = seen.found().get(device.id());
            if (record == null && seen.gone().contains(device.id())) {
                polled.add(new PolledDevice(device.id(), device.graphId(), null, null, GraphVerdict.GONE));
                continue;
            }
            DeviceOutcome outcome = record == null ? null : GraphVerdict.of(record.state());
            if (outcome == null) {
                open.add(device);
            }
            if (record == null) {
                continue;
            }
            if (outcome != null && outcome.outcome() == Outcome.IMPORTED) {
                anyImported = true;
            }
            if (outcome != null && outcome.outcome() == Outcome.ALREADY_REGISTERED && updateSettings.isUpdateExisting()
                    && device.carriesOwnProperties()) {
                // Registered already, and the line asks for its own group tag, user or name: its registered device is updated.
                outcome = outcome.as(Outcome.UPDATING);
                updates = true;
            } else if (outcome != null && outcome.outcome() == Outcome.IMPORTED && device.deviceName() != null) {
                // Registered by this import, and the line names it: the update stage names it, and the line stays imported.
                outcome = outcome.as(Outcome.UPDATING);
                updates = true;
            }
            ImportState state = record.state();
            String registrationId = state == null || state.deviceRegistrationId() == null || state.deviceRegistrationId().isBlank()
                    ? null : state.deviceRegistrationId();
            // A Graph id the ledger has already (on the row, or in its batch's answer) is not news: a device still pending
            // with it is not written at all; a final device's row gets it with its outcome.
            String newGraphId = device.graphId() == null || outcome != null ? record.id() : null;
            polled.add(new PolledDevice(device.id(), newGraphId, state == null ? null : state.deviceImportStatus(),
                    registrationId, outcome));
            // A deployment profile to follow needs its row; clean-up finds its Graph id where the ledger had it (answer or row).
            if (outcome != null && outcome.outcome() == Outcome.IMPORTED && !imports.followsProfiles() && device.graphId() != null) {
                importedOnly.put(device.id(), registrationId);
            }
        }
        return new Poll(polled, importedOnly, open, updates, anyImported);
    }

    /** Each overdue device's row gets its Graph id with its outcome, so that clean-up still deletes its staged record. */
    private void timeOut(List<PendingDevice> overdue, String detail) {
        DeviceOutcome timedOut = DeviceOutcome.of(Outcome.TIMEOUT, detail);
        devices.recordPolled(overdue.stream().map(d -> new PolledDevice(d.id(), d.graphId(), null, null, timedOut)).toList());
    }
}
