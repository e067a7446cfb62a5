package org.autopilotbridge.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An id by device as the one value a batch row keeps of them: the Graph ids Graph answered its import with
 * ({@code import_batch.graph_ids}), and the registration ids of the devices its settling poll found imported
 * ({@code import_batch.registration_ids}). {@code <device id>=<id>} joined by commas; the ids are GUIDs and device ids
 * numbers, so neither separator can occur inside one.
 */
final class GraphAnswer {

    private GraphAnswer() {
    }

    /** Null for no id at all, so that an empty answer reads back as none; a device without an id is left out. */
    static String encode(Map<Long, String> idByDevice) {
        String encoded = idByDevice.entrySet().stream().filter(e -> e.getValue() != null).map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        return encoded.isEmpty() ? null : encoded;
    }

    static Map<Long, String> decode(String stored) {
        Map<Long, String> idByDevice = new HashMap<>();
        if (stored == null) {
            return idByDevice;
        }
        for (String pair : stored.split(",")) {
            int at = pair.indexOf('=');
            idByDevice.put(Long.parseLong(pair.substring(0, at)), pair.substring(at + 1));
        }
        return idByDevice;
    }
}
