package org.autopilotbridge.track;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.autopilotbridge.graph.GraphClient;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.graph.TenantGraph;
import org.autopilotbridge.ledger.PendingDevice;
import org.autopilotbridge.ledger.TenantLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Finds the staged records of a batch's devices in Graph, whatever Graph does with the query options it does not
 * document for this list. The cheapest way is one filtered list per batch ({@code $filter=importId eq ...}). When
 * Graph refuses that filter (400) or ignores it (its pages hold records of other imports), the service learns it for
 * the tenant, in the ledger, and from then on does what the public tools do, whichever costs fewer requests of the
 * tenant's budget: list every staged record a page at a time and match (one request per page, cheap while the
 * staging area is small), or read each record by its Graph id, 20 to a JSON {@code $batch} call (one request per
 * device, each item counts). A device whose Graph id was never recorded is found by importId and serial number in
 * the listing.
 */
@Component
public class StagedRecords {

    static final String LIST_FILTER = "list-filter-importId";
    static final String HONOURED = "honoured";
    static final String NOT_HONOURED = "not-honoured";
    private static final Logger LOG = LoggerFactory.getLogger(StagedRecords.class);

    private final TenantLedger tenant;
    /**
     * Per tenant, pages in the whole list when it was last read to its end (a guess of one until then): its cost in
     * requests.
     */
    private final Map<String, AtomicInteger> pagesOfWholeList = new ConcurrentHashMap<>();

    StagedRecords(TenantLedger tenant) {
        this.tenant = tenant;
    }

    /** What Graph holds for a batch's devices: each device's record by its ledger id, and devices whose record is gone. */
    record Observation(Map<Long, ImportedDeviceIdentity> found, Set<Long> gone) {
    }

    /** Reads the current record of each device, in the tenant of {@code graph}. */
    Observation observe(TenantGraph graph, String importId, List<PendingDevice> devices) throws GraphException {
        RecordMatcher matcher = new RecordMatcher(importId, devices);
        boolean listedWhole = filterHonoured(graph) && listFiltered(graph, importId, matcher, true);
        if (!listedWhole && (matcher.missingUnidentified() || matcher.unfoundGraphIds().size() > pages(graph).get())) {
            listEverything(graph, matcher);
        }
        Set<Long> gone = new HashSet<>();
        List<String> ids = matcher.unfoundGraphIds();
        if (!ids.isEmpty()) {
            // After a filtered list, these are the devices created one by one (Graph gives each its id as importId);
            // after a whole list, records not listed yet: only a read by id says a record is gone.
            GraphClient.StagedReads reads = graph.client().readStaged(ids);
            reads.records().values().forEach(matcher::offer);
            reads.gone().forEach(id -> gone.add(matcher.byGraphId(id).id()));
        }
        return new Observation(matcher.found(), gone);
    }

    /** Finds the records Graph holds for devices whose Graph ids are not known (the answer to their import was lost). */
    public Map<Long, ImportedDeviceIdentity> adopt(TenantGraph graph, String importId, List<PendingDevice> devices)
            throws GraphException {
        RecordMatcher matcher = new RecordMatcher(importId, devices);
        boolean listedWhole = filterHonoured(graph) && listFiltered(graph, importId, matcher, false);
        if (!listedWhole) {
            listEverything(graph, matcher);
        }
        return matcher.found();
    }

    /**
     * Lists the batch's records with the importId filter; returns true if every page was read, so that no record of
     * this import can be missing from what the matcher saw. Records of other imports mean Graph ignores the filter
     * and lists everything: then the listing stops at once when {@code stopWhenIgnored} (the records are read by id
     * instead), and goes through every page otherwise.
     */
    private boolean listFiltered(TenantGraph graph, String importId, RecordMatcher matcher, boolean stopWhenIgnored)
            throws GraphException {
        boolean[] foreign = {false};
        boolean[] stopped = {false};
        try {
            graph.client().listStaged(importId, page -> {
                for (ImportedDeviceIdentity record : page) {
                    foreign[0] |= !matcher.offer(record);
                }
                stopped[0] = foreign[0] && stopWhenIgnored;
                return !stopped[0];
            });
        } catch (GraphException e) {
            if (!e.refused()) {
                throw e;
            }
            learn(graph, "Graph refused listing staged records by importId: " + e.describe());
            return false;
        }
        if (foreign[0]) {
            learn(graph, "Graph ignored $filter on importId: its list held records of other imports");
        }
        return !stopped[0];
    }

    /** Lists every staged record until each device's is seen, and learns what a list to the end costs. */
    private void listEverything(TenantGraph graph, RecordMatcher matcher) throws GraphException {
        int[] pages = {0};
        boolean[] stopped = {false};
        graph.client().listStaged(null, page -> {
            pages[0]++;
            page.forEach(matcher::offer);
            stopped[0] = matcher.allFound();
            return !stopped[0];
        });
        pages(graph).accumulateAndGet(pages[0], (known, seen) -> stopped[0] ? Math.max(known, seen) : seen);
    }

    private AtomicInteger pages(TenantGraph graph) {
        return pagesOfWholeList.computeIfAbsent(graph.name(), name -> new AtomicInteger(1));
    }

    private boolean filterHonoured(TenantGraph graph) {
        return !NOT_HONOURED.equals(tenant.graphBehaviour(graph.name(), LIST_FILTER).orElse(HONOURED));
    }

    private void learn(TenantGraph graph, String observation) {
        LOG.warn("{}. From now on the staged records of tenant {} are listed whole or read by id, whichever costs fewer "
                + "requests (remembered for the tenant)", observation, graph.tenant().describe());
        tenant.learnGraphBehaviour(graph.name(), LIST_FILTER, NOT_HONOURED, observation);
    }
}
