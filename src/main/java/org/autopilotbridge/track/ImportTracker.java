package org.autopilotbridge.track;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.graph.GraphClient;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.ImportBatch;
import org.autopilotbridge.ledger.Ledger;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.PendingDevice;
import org.autopilotbridge.ledger.PolledDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Follows sent batches until every device is complete or in error, by listing each batch's records by importId
 * (paged, one list per batch, not one read per device), at most until poll-timeout. A settled batch's file can be
 * reported at once; its imported records are deleted afterwards by {@link ImportCleaner}.
 */
@Component("importTracker")
public class ImportTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ImportTracker.class);

    private final AutopilotProperties properties;
    private final Ledger ledger;
    private final GraphClient graph;
    private final BatchWorkers workers;

    public ImportTracker(AutopilotProperties properties, Ledger ledger, GraphClient graph, CamelContext camel) {
        this.properties = properties;
        this.ledger = ledger;
        this.graph = graph;
        this.workers = new BatchWorkers(camel, this, "graph-track", properties.getGraphConcurrency());
    }

    /** Polls every batch whose next poll is due, several at once, until the service stops; returns how many. */
    public int pollDue() {
        return workers.each(ledger.batchesDue(Instant.now()), this::poll);
    }

    private void poll(ImportBatch batch) {
        List<PendingDevice> pending = ledger.pendingDevices(batch.id());
        boolean overdue = Instant.now().isAfter(batch.pollDeadline());
        List<ImportedDeviceIdentity> records;
        try {
            records = graph.listByImportId(batch.importId());
        } catch (GraphException e) {
            LOG.warn("Batch {}: cannot read its import state: {}", batch.importId(), e.describe());
            if (overdue) {
                timeOut(pending, "no final state from Graph within autopilot.poll-timeout; last poll failed: " + e.describe());
                ledger.batchSettled(batch.id(), properties.isCleanup());
            } else {
                ledger.nextPoll(batch.id(), Instant.now().plus(properties.getPollInterval()));
            }
            return;
        }
        int open = settle(pending, records);
        if (open > 0 && !overdue) {
            ledger.nextPoll(batch.id(), Instant.now().plus(properties.getPollInterval()));
            return;
        }
        if (open > 0) {
            timeOut(ledger.pendingDevices(batch.id()), "no final state from Graph within autopilot.poll-timeout ("
                    + properties.getPollTimeout() + ")");
        }
        ledger.batchSettled(batch.id(), properties.isCleanup());
        LOG.info("Batch {} settled", batch.importId());
    }

    /** Records what Graph now says about each pending device; returns how many are still not final. */
    private int settle(List<PendingDevice> pending, List<ImportedDeviceIdentity> records) {
        Map<String, ImportedDeviceIdentity> bySerial = new HashMap<>();
        for (ImportedDeviceIdentity record : records) {
            if (record.serialNumber() != null) {
                bySerial.put(record.serialNumber().toUpperCase(Locale.ROOT), record);
            }
        }
        List<PolledDevice> polled = new ArrayList<>();
        int open = pending.size();
        for (PendingDevice device : pending) {
            ImportedDeviceIdentity record = bySerial.get(device.serialKey());
            if (record == null) {
                continue;
            }
            DeviceOutcome outcome = GraphVerdict.of(record.state());
            if (outcome != null) {
                open--;
            }
            String status = record.state() == null ? null : record.state().deviceImportStatus();
            polled.add(new PolledDevice(device.id(), record.id(), status, outcome));
        }
        ledger.recordPolled(polled);
        return open;
    }

    private void timeOut(List<PendingDevice> devices, String detail) {
        Map<Long, DeviceOutcome> outcomes = new HashMap<>();
        devices.forEach(d -> outcomes.put(d.id(), DeviceOutcome.of(Outcome.TIMEOUT, detail)));
        ledger.recordOutcomes(outcomes);
    }
}
