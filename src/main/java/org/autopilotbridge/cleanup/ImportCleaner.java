package org.autopilotbridge.cleanup;

import java.util.List;

import org.apache.camel.CamelContext;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.ledger.BatchLedger;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.ImportBatch;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.wake.BatchWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes the imported records of settled batches: they are only Graph's staging area, and the registered devices
 * live on in windowsAutopilotDeviceIdentities. It runs after the results are written, so a file's report never
 * waits for its clean-up, and a batch stays marked for clean-up in the ledger until it is done, across restarts.
 */
@Component("importCleaner")
public class ImportCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(ImportCleaner.class);
    /** One incident for every batch; a batch whose records could not be deleted leaves them where they do no harm. */
    private static final String CLEANING = "Deleting imported records from Graph's staging area (records not deleted stay there)";

    private final BatchLedger batches;
    private final DeviceLedger devices;
    private final TenantGraphs graphs;
    private final BatchWorkers workers;
    private final Incidents incidents;

    ImportCleaner(GraphProperties properties, BatchLedger batches, DeviceLedger devices,
                  TenantGraphs graphs, Incidents incidents, CamelContext camel) {
        this.incidents = incidents;
        this.batches = batches;
        this.devices = devices;
        this.graphs = graphs;
        this.workers = new BatchWorkers(camel, this, "graph-cleanup", properties.getGraphConcurrency(),
                graphs.names().size());
    }

    /** Cleans up the settled batches of reported files, several at once; returns how many. */
    public int cleanUpSettled() {
        return workers.drain(busy -> batches.claimToCleanUp(graphs.workable(busy)), ImportBatch::tenant, this::cleanUp, batches::release);
    }

    private void cleanUp(ImportBatch batch) {
        List<String> ids = devices.importedRecordIds(batch.id());
        try {
            int left = graphs.of(batch.tenant()).client().deleteAll(ids);
            if (left > 0) {
                LOG.warn("Batch {}: {} of {} imported records could not be deleted; they stay in Graph's staging area",
                        batch.importId(), left, ids.size());
            }
            incidents.working(LOG, CLEANING);
        } catch (GraphException e) {
            incidents.failing(LOG, CLEANING, e.reason());
        }
        batches.batchDone(batch.id());
    }
}
