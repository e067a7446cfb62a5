package org.autopilotbridge.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import org.awaitility.Awaitility;

import org.autopilotbridge.testing.GraphAnswers.Answer;
import org.autopilotbridge.testing.StrictRequests.Refused;
import org.autopilotbridge.testing.StrictRequests.Type;

import static org.autopilotbridge.testing.GraphAnswers.JSON;

/**
 * Graph's staging area, importedWindowsAutopilotDeviceIdentities: the staged records, their list, reads and deletes,
 * and how a record moves from {@code unknown} to its final state. Where Graph's behaviour is not documented each
 * plausible behaviour is a mode the tests choose. Tests reach it through {@link GraphStandIn#staged()}.
 */
public final class StagedRecords {

    /** What Graph does with {@code $filter=importId eq '...'} on the staged-records list, which it does not document. */
    public enum Filter {
        /** Lists that import's records only. */
        HONOURED,
        /** Answers 400. */
        REFUSED,
        /** Lists every staged record, as if there were no filter. */
        IGNORED
    }

    static final String COLLECTION = "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
    static final String ODATA_TYPE = "#microsoft.graph.importedWindowsAutopilotDeviceIdentity";
    static final Map<String, Type> DEVICE = Map.of("@odata.type", Type.STRING, "id", Type.STRING,
            "groupTag", Type.STRING, "serialNumber", Type.STRING, "productKey", Type.STRING, "importId", Type.STRING,
            "hardwareIdentifier", Type.STRING, "assignedUserPrincipalName", Type.STRING, "state", Type.OBJECT);
    private static final int UNSELECTED_PAGE = 100;

    private final RegisteredDevices registered;
    private final Supplier<String> graphUrl;
    final Map<String, ObjectNode> records = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> observations = new ConcurrentHashMap<>();
    private final AtomicInteger listPages = new AtomicInteger();
    private final AtomicInteger recordReads = new AtomicInteger();
    private volatile boolean settleAtOnce;
    private volatile int unknownObservations;
    private volatile Filter filter = Filter.HONOURED;
    private volatile boolean selectHonoured = true;
    private volatile boolean topHonoured = true;
    private volatile boolean anyOrder;
    /** $top is honoured up to this, 1,000 unless a test says otherwise. */
    private volatile int maxPageSize = 1000;

    StagedRecords(RegisteredDevices registered, Supplier<String> graphUrl) {
        this.registered = registered;
        this.graphUrl = graphUrl;
    }

    /** Back to Graph's most helpful behaviour: filter, $select and $top honoured, records in the order made. */
    public void resetListing() {
        filter = Filter.HONOURED;
        selectHonoured = true;
        topHonoured = true;
        anyOrder = false;
        unknownObservations = 0;
        maxPageSize = 1000;
    }

    /**
     * A record left over from an earlier import (another tool's, or an import never cleaned up), in {@code error}
     * with the given code and name, carrying {@code serial}: it must never be taken for the record of a new import.
     */
    public void stageLeftover(String serial, String importId, int errorCode, String errorName) {
        ObjectNode record = JSON.createObjectNode().put("@odata.type", ODATA_TYPE).put("id", UUID.randomUUID().toString())
                .put("serialNumber", serial).put("importId", importId).put("groupTag", "").put("productKey", "")
                .put("assignedUserPrincipalName", "").put("hardwareIdentifier", "T0FsZWZ0b3Zlcg==");
        record.putObject("state").put("deviceImportStatus", "error").put("deviceRegistrationId", "")
                .put("deviceErrorCode", errorCode).put("deviceErrorName", errorName);
        records.put(record.get("id").asText(), record);
    }

    /**
     * The staged-records list, as the chosen modes make it: the importId filter honoured, refused or ignored;
     * $select honoured or not; $top honoured (up to {@link #maxPageSize}) or pages of 100; records in the order made
     * or in any order. Pages follow each other through {@code @odata.nextLink} with a skip token.
     */
    Answer list(HttpExchange exchange, Map<String, String> query) throws Refused {
        listPages.incrementAndGet();
        String filterClause = query.get("$filter");
        String importId = null;
        if (filterClause != null) {
            if (!filterClause.matches("importId eq '(?:[^']|'')*'")) {
                // The modes are about the importId filter; the service has no reason to send any other.
                throw Refused.malformed(400, "BadRequest", "Invalid filter clause: " + filterClause);
            }
            if (filter == Filter.REFUSED) {
                return GraphAnswers.error(exchange, 400, "BadRequest", "Invalid filter clause: the query option $filter is not "
                        + "supported on this resource.");
            }
            importId = filter == Filter.IGNORED ? null : filterClause.substring("importId eq '".length(),
                    filterClause.length() - 1).replace("''", "'");
        }
        int skip = GraphAnswers.count(query, "$skiptoken");
        String selectClause = query.get("$select");
        checkSelect(selectClause);
        List<ObjectNode> matching = new ArrayList<>();
        synchronized (records) {
            for (ObjectNode r : records.values()) {
                if (importId == null || importId.equals(r.path("importId").asText())) {
                    matching.add(r);
                }
            }
        }
        if (anyOrder) {
            matching.sort(Comparator.comparing(r -> r.path("id").asText()));
        }
        if (skip == 0) {
            matching.forEach(this::advance);
        }
        String select = selectHonoured ? selectClause : null;
        int top = GraphAnswers.count(query, "$top");
        int size = topHonoured && query.containsKey("$top") ? Math.min(top, maxPageSize) : UNSELECTED_PAGE;
        ArrayNode page = JSON.createArrayNode();
        matching.stream().skip(skip).limit(size).forEach(r -> page.add(select == null ? r.deepCopy() : selected(r, select)));
        return new Answer(200, GraphAnswers.page(graphUrl, page, COLLECTION, query,
                skip + size < matching.size() ? skip + size : -1));
    }

    /**
     * Graph's OData layer refuses a {@code $select} naming a property the type does not have, whether or not the list
     * then honours {@code $select}.
     */
    private static void checkSelect(String select) throws Refused {
        if (select == null) {
            return;
        }
        for (String name : select.split(",", -1)) {
            if (name.strip().startsWith("@") || !DEVICE.containsKey(name.strip())) {
                throw Refused.malformed(400, "BadRequest", "Could not find a property named '" + name.strip()
                        + "' on type 'microsoft.graph.importedWindowsAutopilotDeviceIdentity'.");
            }
        }
    }

    /** {@code $select}: the named properties only, with {@code id} and {@code @odata.type} as Graph always adds them. */
    private static ObjectNode selected(ObjectNode record, String select) {
        ObjectNode projected = JSON.createObjectNode();
        projected.set("@odata.type", record.get("@odata.type"));
        projected.set("id", record.get("id"));
        for (String name : select.split(",")) {
            if (record.has(name.strip())) {
                projected.set(name.strip(), record.get(name.strip()).deepCopy());
            }
        }
        return projected;
    }

    /**
     * Each listing or read moves a record one step: {@code unknown} for its first {@link #unknownObservations} looks,
     * then pending, then its final state, where it stays.
     */
    private void advance(ObjectNode record) {
        // Two looks at the same moment move a record one step, as Graph's own state would: never twice.
        synchronized (record) {
            advanceOnce(record);
        }
    }

    private void advanceOnce(ObjectNode record) {
        ObjectNode state = (ObjectNode) record.get("state");
        String status = state.path("deviceImportStatus").asText();
        if (status.equals("complete") || status.equals("error")) {
            return;
        }
        int n = observations.merge(record.get("id").asText(), 1, Integer::sum) - unknownObservations;
        String serial = record.path("serialNumber").asText();
        if (n <= 0) {
            return;
        }
        if ((n == 1 && !settleAtOnce) || serial.contains("-RSTUCK-")) {
            state.put("deviceImportStatus", "pending");
        } else if (registered.isRegistered(serial)) {
            fail(state, 806, "ZtdDeviceAlreadyAssigned");
        } else if (serial.contains("-R808B-")) {
            fail(state, 808, "ZtdDeviceAssignedToAnotherTenant");
        } else if (serial.contains("-R808-")) {
            fail(state, 808, "ZtdDeviceAssignedToOtherTenant");
        } else if (serial.contains("-R802-")) {
            fail(state, 802, "InvalidZtdHardwareHash");
        } else if (serial.contains("-RDUP-")) {
            fail(state, 0, "ZtdDeviceDuplicated");
        } else if (serial.contains("-RERR-")) {
            fail(state, 999, "StorageError");
        } else {
            String registrationId = registered.register(serial, record.path("groupTag").asText(null),
                    record.path("assignedUserPrincipalName").asText(null), record.path("productKey").asText(null));
            state.put("deviceImportStatus", "complete").put("deviceRegistrationId", registrationId);
        }
    }

    private static void fail(ObjectNode state, int code, String name) {
        state.put("deviceImportStatus", "error").put("deviceErrorCode", code).put("deviceErrorName", name);
    }

    Answer get(HttpExchange exchange, String id, String select) throws Refused {
        recordReads.incrementAndGet();
        checkSelect(select);
        ObjectNode record = records.get(id);
        if (record == null) {
            return GraphAnswers.error(exchange, 404, "ResourceNotFound", "Resource not found for the segment '" + id + "'.");
        }
        advance(record);
        return new Answer(200, select != null && selectHonoured ? selected(record, select) : record.deepCopy());
    }

    Answer delete(HttpExchange exchange, String id) {
        if (records.remove(id) == null) {
            return GraphAnswers.error(exchange, 404, "ResourceNotFound", "Resource not found for the segment '" + id + "'.");
        }
        return new Answer(204, null);
    }

    public int listPages() { return listPages.get(); }
    /** Staged records read one by one (GET by id, also inside $batch calls). */
    public int reads() { return recordReads.get(); }
    /** How many staged records Graph holds. */
    public int count() { return records.size(); }

    /** How many staged records Graph still holds for serial numbers starting with {@code prefix}. */
    public long withSerialPrefix(String prefix) {
        synchronized (records) {
            return records.values().stream().filter(r -> r.path("serialNumber").asText().startsWith(prefix)).count();
        }
    }

    /** Waits until clean-up, which follows the reports, has deleted every imported record of these serials. */
    public void awaitCleanedUp(String serialPrefix) {
        Awaitility.await(serialPrefix + " records deleted").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> withSerialPrefix(serialPrefix) == 0);
    }

    /** Removes the records of an earlier import (as its tool's own clean-up would). */
    public void unstage(String importId) {
        records.values().removeIf(record -> importId.equals(record.path("importId").asText()));
    }

    /** What the list does with an importId filter. */
    public void filter(Filter mode) { filter = mode; }
    /** Whether {@code $select} is honoured; when not, pages carry every property, hashes included. */
    public void honourSelect(boolean honoured) { selectHonoured = honoured; }
    /** Whether {@code $top} is honoured (up to {@link #maxPageSize(int)}); when not, pages hold 100 records. */
    public void honourTop(boolean honoured) { topHonoured = honoured; }
    /** The largest page Graph serves, whatever $top asks for. */
    public void maxPageSize(int size) { maxPageSize = size; }
    /** Lists come in no particular order (by id) instead of the order records were made. */
    public void anyOrder(boolean any) { anyOrder = any; }
    /** Records stay {@code unknown} for their first {@code count} listings or reads before {@code pending}. */
    public void unknownFor(int count) { unknownObservations = count; }
    /** Every record is final at its first listing, as when Graph processes an import at once. */
    public void settleAtOnce() { settleAtOnce = true; }
}
