package org.autopilotbridge.submit;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.GraphOutage;
import org.autopilotbridge.graph.HardwareHash;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.ledger.BatchLedger;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.HashSpool;
import org.autopilotbridge.ledger.ImportBatch;
import org.autopilotbridge.ledger.PendingDevice;
import org.autopilotbridge.track.GraphVerdict;
import org.autopilotbridge.track.StagedRecords;
import org.autopilotbridge.wake.BatchWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends recorded devices to Graph's import action in batches of at most batch-size, several at once. A batch Graph
 * refuses as a whole is halved until the refused devices stand alone, and those go through the create endpoint,
 * so one bad device never sinks the others. A batch whose answer never arrived is first looked up in Graph by
 * its importId, and only what Graph does not have is sent again.
 */
@Component("importSubmitter")
public class ImportSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(ImportSubmitter.class);

    private final GraphProperties properties;
    private final BatchLedger batches;
    private final DeviceLedger devices;
    private final HashSpool hashes;
    private final TenantGraphs graphs;
    private final StagedRecords staged;
    private final BatchWorkers workers;

    ImportSubmitter(GraphProperties properties, BatchLedger batches, DeviceLedger devices, HashSpool hashes,
                    TenantGraphs graphs, StagedRecords staged, CamelContext camel) {
        this.properties = properties;
        this.hashes = hashes;
        this.batches = batches;
        this.devices = devices;
        this.graphs = graphs;
        this.staged = staged;
        this.workers = new BatchWorkers(camel, this, "graph-submit", properties.getGraphConcurrency(),
                graphs.names().size());
    }

    /**
     * Sends every batch that is due, up to graph-concurrency at once; returns how many were sent. When the service
     * is stopping, the batches in flight are finished and their answers recorded, and the rest waits in the ledger
     * for the next start.
     */
    public int submitPending() {
        int adopted = workers.drain(busy -> batches.claimUnconfirmed(graphs.workable(busy)), ImportBatch::tenant, unconfirmed -> {
            LOG.info("Batch {} was sent before without a recorded answer: adopting what Graph has", unconfirmed.importId());
            submit(unconfirmed, true);
        }, batches::release);
        // Batches formed as their files were read; then lines sent back to import by the update stage, and dry runs.
        return adopted + workers.drain(busy -> batches.claimFormed(graphs.workable(busy))
                        .or(() -> batches.openNextBatch(properties.getBatchSize(), graphs.workable(busy))),
                ImportBatch::tenant, next -> submit(next, false), batches::release);
    }

    private void submit(ImportBatch batch, boolean adoptFirst) {
        try {
            send(batch, adoptFirst);
        } catch (LeaseLost e) {
            LOG.warn("Batch {}: this instance's lease ran out (a pause, or the ledger out of reach) and the batch may "
                    + "have passed to another instance; it is left to that instance, not sent from here", batch.importId());
        }
    }

    private void send(ImportBatch batch, boolean adoptFirst) {
        // Graph's answer, by device: kept here until the batch is sent whole and recorded with it, in one write.
        Map<Long, String> answered = new HashMap<>();
        boolean unconfirmed = adoptFirst;
        for (int send = 1; ; send++) {
            List<PendingDevice> toSend = unconfirmed ? adopt(batch, answered) : unsent(batch, answered);
            if (toSend.isEmpty() && send == 1 && !adoptFirst) {
                // Every line of the batch turned out not to be sent (duplicates, registered before): nothing to follow.
                batches.batchSettled(batch.id(), false, Map.of());
                return;
            }
            if (toSend.isEmpty()) {
                break;
            }
            try {
                sendIsolating(batch, toSend, answered);
                break;
            } catch (GraphException e) {
                // No answer or a 5xx says nothing about the devices: never a reason to fail them, only to look
                // what arrived and send the rest again, after a pause once it happened twice in a row.
                if (send == 1) {
                    LOG.warn("Batch {}: no answer from Graph ({}); checking what arrived before sending again",
                            batch.importId(), e.describe());
                } else {
                    graphs.of(batch.tenant()).outage().waitOut(e, send - 1);
                }
                unconfirmed = true;
            }
        }
        batches.batchSent(batch.id(), answered, properties.getPollInterval(), properties.getPollTimeout());
    }

    /**
     * Sends devices, isolating what Graph refuses. Throws only when the outcome of a send is unknown (no answer),
     * since then Graph must be asked before anything is sent again. The Graph ids of what Graph took go into
     * {@code answered}.
     */
    private void sendIsolating(ImportBatch batch, List<PendingDevice> group, Map<Long, String> answered) throws GraphException {
        try {
            fence(batch);
            List<ImportedDeviceIdentity> created = graphs.of(batch.tenant()).client().importDevices(identities(batch, group));
            recordCreated(group, created, answered);
            LOG.info("Batch {}: Graph accepted {} devices", batch.importId(), group.size());
        } catch (GraphException e) {
            if (e.fateUnknown() || GraphOutage.passing(e)) {
                throw e;
            }
            if (!e.refused()) {
                LOG.warn("Batch {}: {} devices not sent: {}", batch.importId(), group.size(), e.describe());
                failAll(group, e);
            } else if (group.size() == 1) {
                createSingle(batch, group.get(0), answered);
            } else {
                int half = group.size() / 2;
                LOG.info("Batch {}: Graph refused {} devices as a whole ({}); splitting to isolate the refused ones",
                        batch.importId(), group.size(), e.describe());
                sendIsolating(batch, group.subList(0, half), answered);
                sendIsolating(batch, group.subList(half, group.size()), answered);
            }
        }
    }

    private void createSingle(ImportBatch batch, PendingDevice device, Map<Long, String> answered) throws GraphException {
        try {
            fence(batch);
            ImportedDeviceIdentity created = graphs.of(batch.tenant()).client().create(identities(batch, List.of(device)).get(0));
            recordCreated(List.of(device), List.of(created), answered);
        } catch (GraphException e) {
            if (e.fateUnknown() || GraphOutage.passing(e)) {
                throw e;
            }
            LOG.warn("Batch {}: Graph refused line {} ({}): {}", batch.importId(), device.line(),
                    device.serialNumber(), e.describe());
            failAll(List.of(device), e);
        }
    }

    /** Nothing is sent for a batch this instance no longer holds (see {@link BatchLedger#stillHeld}). */
    private void fence(ImportBatch batch) {
        if (!batches.stillHeld(batch.id())) {
            throw new LeaseLost();
        }
    }

    /** The batch's lease was found lost right before a send: the batch is dropped here, as it stands. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }

    /** Takes over the records Graph already holds for this batch, into {@code answered}; returns the devices it does not have. */
    private List<PendingDevice> adopt(ImportBatch batch, Map<Long, String> answered) {
        try {
            staged.adopt(graphs.of(batch.tenant()), batch.importId(), unsent(batch, answered))
                    .forEach((device, record) -> answered.put(device, record.id()));
            return unsent(batch, answered);
        } catch (GraphException e) {
            LOG.warn("Batch {}: cannot ask Graph what arrived ({}); its devices are followed by importId",
                    batch.importId(), e.describe());
            return List.of();
        }
    }

    /** The batch's devices Graph has no answer for, neither in the ledger nor in this send's {@code answered}. */
    private List<PendingDevice> unsent(ImportBatch batch, Map<Long, String> answered) {
        return devices.unsentDevices(batch).stream().filter(d -> !answered.containsKey(d.id())).toList();
    }

    private static void recordCreated(List<PendingDevice> sent, List<ImportedDeviceIdentity> created, Map<Long, String> answered) {
        Map<String, String> idBySerial = new HashMap<>();
        for (ImportedDeviceIdentity identity : created) {
            if (identity.serialNumber() != null && identity.id() != null) {
                idBySerial.put(identity.serialNumber().toUpperCase(Locale.ROOT), identity.id());
            }
        }
        for (PendingDevice device : sent) {
            String id = idBySerial.get(device.serialKey());
            if (id != null) {
                answered.put(device.id(), id);
            }
        }
    }

    private void failAll(List<PendingDevice> failed, GraphException e) {
        Map<Long, DeviceOutcome> outcomes = new HashMap<>();
        DeviceOutcome outcome = GraphVerdict.of(e);
        failed.forEach(d -> outcomes.put(d.id(), outcome));
        devices.recordOutcomes(outcomes);
    }

    /** The group's identities to send, each with its hash read from its file's spool. */
    private List<ImportedDeviceIdentity> identities(ImportBatch batch, List<PendingDevice> group) {
        try (HashSpool.Reader spool = hashes.reader(batch.fileId())) {
            return group.stream().map(d -> ImportedDeviceIdentity.toImport(d.serialNumber(), new HardwareHash(spool.read(d.hash())),
                    d.productKey(), d.groupTag(), d.assignedUser(), batch.importId())).toList();
        }
    }
}
