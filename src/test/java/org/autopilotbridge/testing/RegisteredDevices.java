package org.autopilotbridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.autopilotbridge.testing.StrictRequests.Refused;
import org.autopilotbridge.testing.StrictRequests.Type;

/**
 * Graph's registered Windows Autopilot devices ({@code windowsAutopilotDeviceIdentities}, v1.0) as the stand-in keeps
 * them, as strict as Graph where it is documented: every documented property on each device; the list filtered only by
 * {@code contains(serialNumber,'...')} (Graph answers {@code serialNumber eq '...'} with 400, and so does this), in
 * pages with next links; {@code updateDeviceProperties} with its four String parameters and nothing else, answered
 * 204. A device is registered when its import completes, and its id is that import's {@code deviceRegistrationId}.
 * Tests reach it through {@link GraphStandIn#devices()}.
 */
public final class RegisteredDevices {

    static final String COLLECTION = "/deviceManagement/windowsAutopilotDeviceIdentities";
    static final String UPDATE_ACTION = "updateDeviceProperties";
    private static final String TYPE = "#microsoft.graph.windowsAutopilotDeviceIdentity";
    private static final Map<String, Type> UPDATE_PARAMETERS = Map.of("userPrincipalName", Type.STRING,
            "addressableUserName", Type.STRING, "groupTag", Type.STRING, "displayName", Type.STRING);
    private static final Pattern CONTAINS = Pattern.compile("contains\\(\\s*serialNumber\\s*,\\s*'((?:[^']|'')*)'\\s*\\)");

    /** One page of a list: the devices on it, and whether more follow. */
    record Page(List<ObjectNode> devices, boolean more) {
    }

    private final ObjectMapper json;
    private final Map<String, ObjectNode> devices = Collections.synchronizedMap(new LinkedHashMap<>());
    /** The id of the first device registered under each serial number (upper case): a look-up per completed import. */
    private final Map<String, String> firstBySerial = new ConcurrentHashMap<>();
    private final AtomicInteger listPages = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final Map<String, AtomicInteger> updatesBySerial = new ConcurrentHashMap<>();
    private final AtomicInteger conflicts = new AtomicInteger();
    private final AtomicInteger lostAnswers = new AtomicInteger();
    /** What a device showed before its last update, and for how many more looks it still shows that. */
    private final Map<String, ObjectNode> shownBefore = new ConcurrentHashMap<>();
    /** Serial numbers (upper case) whose device an admin deletes just before its next update arrives. */
    private final Set<String> deleteOnUpdate = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> looksBeforeShown = new ConcurrentHashMap<>();
    private volatile int pageSize = 1000;
    private volatile int updateShowsAfter;

    RegisteredDevices(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Registers a device in the tenant as if it had been imported before (its import then ends in 806); returns its
     * id, which is what a completed import reports as its {@code deviceRegistrationId}.
     */
    public String register(String serial, String groupTag, String userPrincipalName) {
        return register(serial, groupTag, userPrincipalName, null);
    }

    /** Registers the devices of a file of {@code serial,groupTag,user} lines (either of the last two may be empty). */
    public void registerAll(Path devices) throws IOException {
        for (String line : Files.readAllLines(devices, StandardCharsets.UTF_8)) {
            String[] fields = (line + ",,").split(",", -1);
            if (!fields[0].isBlank()) {
                register(fields[0].strip(), fields[1].strip(), fields[2].strip());
            }
        }
    }

    /** Registers a device with every documented property, as Intune shows one; returns its id. */
    String register(String serial, String groupTag, String userPrincipalName, String productKey) {
        String id = UUID.randomUUID().toString();
        ObjectNode device = json.createObjectNode().put("@odata.type", TYPE).put("id", id)
                .put("groupTag", nullToEmpty(groupTag)).put("purchaseOrderIdentifier", "").put("serialNumber", serial)
                .put("productKey", nullToEmpty(productKey)).put("manufacturer", "Contoso").put("model", "Book 3")
                .put("enrollmentState", "notContacted").put("lastContactedDateTime", "0001-01-01T00:00:00Z")
                .put("addressableUserName", "").put("userPrincipalName", nullToEmpty(userPrincipalName))
                .put("resourceName", "").put("skuNumber", "").put("systemFamily", "")
                .put("azureActiveDirectoryDeviceId", UUID.randomUUID().toString())
                .put("managedDeviceId", "00000000-0000-0000-0000-000000000000").put("displayName", "");
        devices.put(id, device);
        firstBySerial.putIfAbsent(serial.toUpperCase(Locale.ROOT), id);
        return id;
    }

    /** Deletes the registered device with this serial number, as an admin does in Intune; importing it works again. */
    public void delete(String serial) {
        String id = firstBySerial.remove(serial.toUpperCase(Locale.ROOT));
        if (id != null) {
            devices.remove(id);
        }
    }

    /**
     * The device with this serial number is deleted in Intune while its change is on the way: the next
     * updateDeviceProperties for it finds it gone (404), as does everything after.
     */
    public void deleteOnNextUpdate(String serial) {
        deleteOnUpdate.add(serial.toUpperCase(Locale.ROOT));
    }

    boolean isRegistered(String serial) {
        return bySerial(serial) != null;
    }

    /** The first device registered with exactly this serial number (as Graph compares: ignoring case), or null. */
    public ObjectNode bySerial(String serial) {
        String id = firstBySerial.get(serial.toUpperCase(Locale.ROOT));
        ObjectNode device = id == null ? null : devices.get(id);
        if (device == null) {
            return null;
        }
        synchronized (devices) {
            return device.deepCopy();
        }
    }

    /** The list, filtered as {@code $filter} says, one page of {@link #pageSize} from {@code skip} on. */
    Page list(String filter, int skip) throws Refused {
        listPages.incrementAndGet();
        String contained = filter == null ? "" : contained(filter);
        List<ObjectNode> matching = new ArrayList<>();
        synchronized (devices) {
            for (ObjectNode device : devices.values()) {
                if (device.path("serialNumber").asText().toLowerCase(Locale.ROOT).contains(contained)) {
                    matching.add(shown(device));
                }
            }
        }
        int size = pageSize;
        return new Page(matching.stream().skip(skip).limit(size).toList(), skip + size < matching.size());
    }

    ObjectNode read(String id) throws Refused {
        reads.incrementAndGet();
        ObjectNode device = devices.get(id);
        if (device == null) {
            throw notFound(id);
        }
        return shown(device);
    }

    /** The action: only its documented parameters, each a String; what it names changes at once. */
    void update(String id, JsonNode parameters) throws Refused {
        if (parameters == null || !parameters.isObject()) {
            throw Refused.malformed(400, "BadRequest", StrictRequests.UNREADABLE);
        }
        for (Iterator<String> names = parameters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!UPDATE_PARAMETERS.containsKey(name)) {
                throw Refused.malformed(400, "BadRequest", "The parameter '" + name + "' in the request payload is not a valid "
                        + "parameter for the operation '" + UPDATE_ACTION + "'.");
            }
        }
        StrictRequests.conforms(parameters, UPDATE_ACTION, UPDATE_PARAMETERS);
        ObjectNode found = devices.get(id);
        if (found != null && deleteOnUpdate.remove(found.path("serialNumber").asText().toUpperCase(Locale.ROOT))) {
            delete(found.path("serialNumber").asText());
        }
        ObjectNode device = devices.get(id);
        if (device == null) {
            throw notFound(id);
        }
        if (conflicts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            // What Intune answers now and then to bulk updates, with its own error document as the message.
            throw new Refused(412, "ConditionNotMet", "{\r\n  \"_version\": 3,\r\n  \"Message\": \"An error has occurred - "
                    + "Operation ID (for customer support): 00000000-0000-0000-0000-000000000000\",\r\n  \"RetryAfter\": null\r\n}");
        }
        synchronized (devices) {
            if (updateShowsAfter > 0) {
                shownBefore.put(id, device.deepCopy());
                looksBeforeShown.put(id, new AtomicInteger(updateShowsAfter));
            }
            parameters.fields().forEachRemaining(p -> device.put(p.getKey(), p.getValue().isNull() ? "" : p.getValue().asText()));
        }
        updatesBySerial.computeIfAbsent(device.path("serialNumber").asText(), s -> new AtomicInteger()).incrementAndGet();
        if (lostAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new Refused(504, "GatewayTimeout", "The operation timed out; the answer was lost after Graph acted.");
        }
    }

    /** The device as a read or a list shows it now: as before its last update, while that update does not show yet. */
    private ObjectNode shown(ObjectNode device) {
        String id = device.path("id").asText();
        AtomicInteger looks = looksBeforeShown.get(id);
        if (looks != null && looks.getAndDecrement() > 0) {
            return shownBefore.get(id).deepCopy();
        }
        looksBeforeShown.remove(id);
        shownBefore.remove(id);
        return device.deepCopy();
    }

    /** The serial part of {@code contains(serialNumber,'...')}, lower-cased; any other filter is refused as Graph does. */
    private static String contained(String filter) throws Refused {
        Matcher contains = CONTAINS.matcher(filter.strip());
        if (!contains.matches()) {
            throw Refused.malformed(400, "BadRequest", "Invalid filter clause: " + filter);
        }
        return contains.group(1).replace("''", "'").toLowerCase(Locale.ROOT);
    }

    private static Refused notFound(String id) {
        return new Refused(404, "ResourceNotFound", "Resource not found for the segment '" + id + "'.");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The page size of the list (Graph serves about 1,000). */
    public void pageSize(int size) { pageSize = size; }
    /**
     * The next {@code count} updateDeviceProperties actions are answered 412 ConditionNotMet, as Intune answers some
     * bulk updates, without a Retry-After.
     */
    public void conflictNext(int count) { conflicts.set(count); }
    /** The next {@code count} updateDeviceProperties actions are carried out, but answered 504 GatewayTimeout. */
    public void loseNextAnswers(int count) { lostAnswers.set(count); }
    /**
     * An updated device shows its old values to the next {@code looks} reads and lists before the new ones, as
     * Intune's updates are reported to take a while to show (0: at once).
     */
    public void updatesShowAfter(int looks) { updateShowsAfter = looks; }
    /** Pages listed (calls of their own and requests inside $batch calls). */
    public int listPages() { return listPages.get(); }
    /** Devices read by id. */
    public int reads() { return reads.get(); }

    /** updateDeviceProperties actions Graph carried out, in all and for one serial number. */
    public int updates() {
        return updatesBySerial.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int updates(String serial) {
        AtomicInteger n = updatesBySerial.get(serial);
        return n == null ? 0 : n.get();
    }
}
