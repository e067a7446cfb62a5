package org.autopilotbridge.track;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.ledger.PendingDevice;

/**
 * Finds each device's own staged record among what Graph lists or reads: by the Graph id the device was given, or,
 * for a device whose id was never recorded (a lost answer), by its batch's importId and its serial number. Never by
 * serial number alone: leftovers of other imports carry the same serial numbers, often in {@code error}.
 */
final class RecordMatcher {

    private final String importId;
    private final Map<String, PendingDevice> byGraphId = new HashMap<>();
    private final Map<String, PendingDevice> bySerial = new HashMap<>();
    private final Map<Long, ImportedDeviceIdentity> found = new HashMap<>();

    RecordMatcher(String importId, List<PendingDevice> devices) {
        this.importId = importId;
        for (PendingDevice device : devices) {
            if (device.graphId() != null) {
                byGraphId.put(device.graphId(), device);
            } else {
                bySerial.put(device.serialKey(), device);
            }
        }
    }

    /** Takes the record if it is one of these devices'; false when it belongs to another import altogether. */
    boolean offer(ImportedDeviceIdentity record) {
        PendingDevice device = record.id() == null ? null : byGraphId.get(record.id());
        boolean sameImport = importId.equals(record.importId());
        if (device == null && sameImport && record.serialNumber() != null) {
            device = bySerial.get(record.serialNumber().toUpperCase(Locale.ROOT));
        }
        if (device != null) {
            found.put(device.id(), record);
        }
        return sameImport || device != null;
    }

    /** The Graph ids of devices whose record was not seen yet. */
    List<String> unfoundGraphIds() {
        List<String> ids = new ArrayList<>();
        byGraphId.forEach((id, device) -> {
            if (!found.containsKey(device.id())) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** True while a device without a recorded Graph id has not been seen. */
    boolean missingUnidentified() {
        return bySerial.values().stream().anyMatch(device -> !found.containsKey(device.id()));
    }

    /** True once every device's record was seen. */
    boolean allFound() {
        return found.size() == byGraphId.size() + bySerial.size();
    }

    /** The device whose Graph id this is, if any. */
    PendingDevice byGraphId(String graphId) {
        return byGraphId.get(graphId);
    }

    /** Each device seen so far, by its ledger id, with its record. */
    Map<Long, ImportedDeviceIdentity> found() {
        return found;
    }
}
