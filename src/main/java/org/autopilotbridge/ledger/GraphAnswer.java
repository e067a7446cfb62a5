package org.autopilotbridge.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Graph ids Graph answered a batch's import with, by device, as the one value the batch row keeps of them
 * ({@code import_batch.graph_ids}): {@code <device id>=<Graph id>} joined by commas. Graph ids are GUIDs and device
 * ids numbers, so neither separator can occur inside one.
 */
final class GraphAnswer {

    private GraphAnswer() {
    }

    /** Null for no id at all, so that an empty answer reads back as none. */
    static String encode(Map<Long, String> graphIdByDevice) {
        if (graphIdByDevice.isEmpty()) {
            return null;
        }
        return graphIdByDevice.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    static Map<Long, String> decode(String stored) {
        Map<Long, String> graphIdByDevice = new HashMap<>();
        if (stored == null) {
            return graphIdByDevice;
        }
        for (String pair : stored.split(",")) {
            int at = pair.indexOf('=');
            graphIdByDevice.put(Long.parseLong(pair.substring(0, at)), pair.substring(at + 1));
        }
        return graphIdByDevice;
    }
}
