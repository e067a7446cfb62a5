package org.autopilotbridge.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import org.autopilotbridge.testing.GraphAnswers.Answer;
import org.autopilotbridge.testing.GraphAnswers.Scripted;
import org.autopilotbridge.testing.GraphStandIn.ImportCall;
import org.autopilotbridge.testing.StrictRequests.Refused;
import org.autopilotbridge.testing.StrictRequests.Type;

import static org.autopilotbridge.testing.GraphAnswers.JSON;
import static org.autopilotbridge.testing.StagedRecords.DEVICE;
import static org.autopilotbridge.testing.StagedRecords.ODATA_TYPE;

/**
 * How devices get into the staging area: the import action and the single create, Graph's checks on each device
 * object, and the scripted faults of import calls (throttling, failures, lost answers). Tests reach it through
 * {@link GraphStandIn#imports()}.
 */
public final class ImportEndpoint {

    private static final Map<String, Type> STATE = Map.of("deviceImportStatus", Type.STRING,
            "deviceRegistrationId", Type.STRING, "deviceErrorCode", Type.INT, "deviceErrorName", Type.STRING);

    private final StagedRecords staged;
    private final RegisteredDevices registered;
    private final Supplier<String> graphUrl;
    private final Map<String, AtomicInteger> registrations = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> lastSent = new ConcurrentHashMap<>();
    private final List<ImportCall> importCalls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger createCalls = new AtomicInteger();
    private final Deque<Scripted> importScript = new ConcurrentLinkedDeque<>();
    private volatile Duration importDelay = Duration.ZERO;
    /** Run when the next import call arrives, before Graph acts on it. */
    private volatile Runnable onNextImport;
    private volatile int maxBatch = 500;

    ImportEndpoint(StagedRecords staged, RegisteredDevices registered, Supplier<String> graphUrl) {
        this.staged = staged;
        this.registered = registered;
        this.graphUrl = graphUrl;
    }

    Answer importAction(HttpExchange exchange, JsonNode body) throws Refused {
        long at = System.currentTimeMillis();
        Runnable action = onNextImport;
        onNextImport = null;
        if (action != null) {
            action.run();
        }
        JsonNode devices = body.path("importedWindowsAutopilotDeviceIdentities");
        if (body.size() != 1 || !devices.isArray()) {
            throw Refused.malformed(400, "BadRequest", "The parameters of the action 'import' are "
                    + "importedWindowsAutopilotDeviceIdentities only, as an array.");
        }
        List<String> serials = new ArrayList<>();
        devices.forEach(d -> serials.add(d.path("serialNumber").asText()));
        String problem = devices.size() > maxBatch ? "Too many devices in one import request." : null;
        for (Iterator<JsonNode> it = devices.elements(); problem == null && it.hasNext(); ) {
            problem = invalid(it.next());
        }
        Scripted scripted = importScript.poll();
        if (scripted != null) {
            importCalls.add(new ImportCall(serials, scripted.status(), at));
            // A lost answer hides what Graph did, and Graph does nothing with a request it refuses.
            if (scripted.storeFirst() && problem == null) {
                devices.forEach(d -> store((ObjectNode) d, false));
            }
            Answer error = GraphAnswers.error(exchange, scripted.status(),
                    scripted.status() == 429 ? "TooManyRequests" : "ServiceUnavailable", "Scripted failure.");
            return scripted.retryAfter() == null ? error
                    : new Answer(error.status(), error.body(), Map.of("Retry-After", String.valueOf(scripted.retryAfter())));
        }
        importCalls.add(new ImportCall(serials, problem == null ? 200 : 400, at));
        GraphAnswers.pause(importDelay);
        if (problem != null) {
            return GraphAnswers.error(exchange, 400, "BadRequest", problem);
        }
        ArrayNode created = JSON.createArrayNode();
        devices.forEach(d -> created.add(store((ObjectNode) d, false)));
        ObjectNode answer = JSON.createObjectNode().put("@odata.context",
                graphUrl.get() + "/$metadata#Collection(microsoft.graph.importedWindowsAutopilotDeviceIdentity)");
        answer.set("value", created);
        return new Answer(200, answer);
    }

    Answer create(HttpExchange exchange, JsonNode device) throws Refused {
        createCalls.incrementAndGet();
        String problem = invalid(device);
        if (problem != null) {
            return GraphAnswers.error(exchange, 400, "BadRequest", problem);
        }
        return new Answer(201, store((ObjectNode) device, true));
    }

    /**
     * Graph's own checks on one device object: what it refuses with 400, or null. A device no Graph would read (not an
     * object, unknown properties, wrong types, another type) is thrown, to be recorded; a device Graph reads and then
     * refuses (an unreadable hash, a serial a test marked) is what tests ask for.
     */
    private static String invalid(JsonNode device) throws Refused {
        if (!device.isObject()) {
            throw Refused.malformed(400, "BadRequest", StrictRequests.UNREADABLE);
        }
        StrictRequests.conforms(device, "microsoft.graph.importedWindowsAutopilotDeviceIdentity", DEVICE);
        if (device.path("state").isObject()) {
            StrictRequests.conforms(device.get("state"), "microsoft.graph.importedWindowsAutopilotDeviceIdentityState", STATE);
        }
        if (device.has("@odata.type") && !ODATA_TYPE.equals(device.get("@odata.type").asText())) {
            throw Refused.malformed(400, "BadRequest", "Invalid @odata.type");
        }
        String serial = device.path("serialNumber").asText("");
        if (serial.isBlank()) {
            return "serialNumber is required";
        }
        String hash = device.path("hardwareIdentifier").asText("");
        if (hash.length() % 4 != 0 || !decodes(hash)) {
            return "Cannot convert the literal '" + hash.substring(0, Math.min(20, hash.length())) + "...' to the expected type 'Edm.Binary'.";
        }
        if (serial.contains("-RREFUSE-")) {
            return "The hardware hash of " + serial + " cannot be parsed.";
        }
        return null;
    }

    private static boolean decodes(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Keeps a new staged record; a single create gets its own id as importId, as Graph does. A {@code -R806-} device
     * is registered already, with no group tag or user, unless a test registered it otherwise.
     */
    private ObjectNode store(ObjectNode device, boolean single) {
        String serial = device.path("serialNumber").asText();
        if (serial.contains("-R806-") && !registered.isRegistered(serial)) {
            registered.register(serial, null, null, null);
        }
        lastSent.put(serial, device.deepCopy());
        registrations.computeIfAbsent(serial, s -> new AtomicInteger()).incrementAndGet();
        ObjectNode record = device.deepCopy();
        String id = UUID.randomUUID().toString();
        record.put("id", id);
        record.put("@odata.type", ODATA_TYPE);
        if (single) {
            record.put("importId", id);
        }
        ObjectNode state = record.putObject("state");
        state.put("deviceImportStatus", "unknown").put("deviceRegistrationId", "").put("deviceErrorCode", 0)
                .put("deviceErrorName", "");
        staged.records.put(id, record);
        return record;
    }

    public int createCalls() { return createCalls.get(); }

    public List<ImportCall> calls() {
        synchronized (importCalls) {
            return List.copyOf(importCalls);
        }
    }

    /** The import calls whose devices' serial numbers start with {@code serialPrefix}. */
    public List<ImportCall> callsFor(String serialPrefix) {
        return calls().stream().filter(c -> !c.serials().isEmpty() && c.serials().get(0).startsWith(serialPrefix)).toList();
    }

    /** How many times Graph created a record for this serial number (import or create). */
    public int registrations(String serial) {
        AtomicInteger n = registrations.get(serial);
        return n == null ? 0 : n.get();
    }

    /** The device object last accepted for this serial number, as it was sent. */
    public JsonNode lastSent(String serial) {
        return lastSent.get(serial);
    }

    /** The next {@code count} import calls are answered 429 with Retry-After. */
    public void throttleNext(int count, int retryAfter) {
        GraphAnswers.script(importScript, count, new Scripted(429, retryAfter, false));
    }

    /** The next {@code count} import calls fail with {@code status} (503, 500...) and store nothing. */
    public void failNext(int count, int status) {
        GraphAnswers.script(importScript, count, new Scripted(status, null, false));
    }

    /** The next import call is carried out, but the caller gets a 504 instead of the answer. */
    public void loseNextAnswer() {
        GraphAnswers.script(importScript, 1, new Scripted(504, null, true));
    }

    /** The next {@code count} import calls are carried out, but answered {@code status} (a 500 or 502 of a gateway). */
    public void actThenFailNext(int count, int status) {
        GraphAnswers.script(importScript, count, new Scripted(status, null, true));
    }

    /** Runs {@code action} when the next import call arrives, before it is answered: what happens meanwhile elsewhere. */
    public void onNext(Runnable action) {
        onNextImport = action;
    }

    /** Import calls are answered this much later again, as a busy Graph answers. */
    public void delay(Duration delay) {
        importDelay = delay;
    }

    /** The largest import call Graph accepts; larger ones are refused with 400. */
    public void maxBatch(int size) {
        maxBatch = size;
    }
}
