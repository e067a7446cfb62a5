package org.autopilotbridge.ledger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An id by device as the one value a batch row keeps of them: the Graph ids Graph answered its import with
 * ({@code import_batch.graph_ids}), and the registration ids of the devices its settling poll found imported
 * ({@code import_batch.registration_ids}). {@code <device id>=<id>} joined by commas; the ids are GUIDs and device ids
 * numbers, so neither separator can occur inside one.
 */
final class GraphAnswer {

    /** The column of the Graph ids a batch's import was answered with. */
    static final String GRAPH_IDS = "graph_ids";
    /** The column of the registration ids of the devices a batch's settling poll found imported. */
    static final String REGISTRATION_IDS = "registration_ids";

    private GraphAnswer() {
    }

    /** The ids batch {@code batchId} keeps in {@code column} ({@link #GRAPH_IDS} or {@link #REGISTRATION_IDS}), by device. */
    static Map<Long, String> kept(JdbcTemplate jdbc, String column, long batchId) {
        List<String> kept = jdbc.queryForList("SELECT " + column + " FROM import_batch WHERE id = ?", String.class, batchId);
        return decode(kept.isEmpty() ? null : kept.get(0));
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
