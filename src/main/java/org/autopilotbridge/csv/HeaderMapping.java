package org.autopilotbridge.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the Autopilot columns are in a file's header. Matching ignores case, spaces, underscores and hyphens and
 * knows the names tools and OEMs use; any other column is carried along untouched and otherwise ignored. A file needs
 * a serial number column and a hardware hash column, or, to update registered devices only (an admin's re-tag
 * spreadsheet), a group tag, assigned user or device name column instead of the hash.
 */
public final class HeaderMapping {

    private enum Column { SERIAL, HASH, PRODUCT_KEY, GROUP_TAG, ORDER_ID, ASSIGNED_USER, DEVICE_NAME }

    private static final Map<String, Column> ALIASES = Map.ofEntries(
            Map.entry("deviceserialnumber", Column.SERIAL),
            Map.entry("serialnumber", Column.SERIAL),
            Map.entry("hardwarehash", Column.HASH),
            Map.entry("windowsproductid", Column.PRODUCT_KEY),
            Map.entry("productkey", Column.PRODUCT_KEY),
            Map.entry("grouptag", Column.GROUP_TAG),
            Map.entry("orderid", Column.ORDER_ID),
            Map.entry("assigneduser", Column.ASSIGNED_USER),
            Map.entry("assigneduserprincipalname", Column.ASSIGNED_USER),
            Map.entry("devicename", Column.DEVICE_NAME),
            Map.entry("displayname", Column.DEVICE_NAME));

    private final List<String> header;
    private final int[] index = new int[Column.values().length];

    private HeaderMapping(List<String> header) {
        this.header = List.copyOf(header);
        java.util.Arrays.fill(index, -1);
        for (int i = 0; i < header.size(); i++) {
            Column column = ALIASES.get(normalise(header.get(i)));
            if (column != null && index[column.ordinal()] < 0) {
                index[column.ordinal()] = i;
            }
        }
    }

    static HeaderMapping of(CsvRecord headerRecord) throws UnreadableHashFileException {
        HeaderMapping mapping = new HeaderMapping(headerRecord.fields());
        List<String> missing = new ArrayList<>();
        if (mapping.index[Column.SERIAL.ordinal()] < 0) {
            missing.add("'Device Serial Number'");
        }
        boolean noHash = mapping.index[Column.HASH.ordinal()] < 0 && !mapping.updatesDevices();
        if (noHash) {
            missing.add("'Hardware Hash'");
        }
        if (!missing.isEmpty()) {
            throw new UnreadableHashFileException("no recognisable header: line " + headerRecord.line()
                    + " has no " + String.join(" and no ", missing) + " column (found: "
                    + TextPreview.of(String.join(", ", mapping.header)) + ")"
                    + (noHash ? "; a file that only updates registered devices needs a 'Group Tag', 'Assigned User' or 'Device Name' column instead" : ""));
        }
        return mapping;
    }

    /** True if lines can name a group tag, user or device name for a registered device. */
    private boolean updatesDevices() {
        return index[Column.GROUP_TAG.ordinal()] >= 0 || index[Column.ORDER_ID.ordinal()] >= 0
                || index[Column.ASSIGNED_USER.ordinal()] >= 0 || index[Column.DEVICE_NAME.ordinal()] >= 0;
    }

    /** The header exactly as the file wrote it, for reports that must round-trip to the inbox. */
    public List<String> header() {
        return header;
    }

    DeviceRow toDeviceRow(CsvRecord record) {
        String groupTag = value(record, Column.GROUP_TAG);
        if (index[Column.GROUP_TAG.ordinal()] < 0) {
            groupTag = value(record, Column.ORDER_ID);
        }
        return new DeviceRow(record.line(), value(record, Column.SERIAL), value(record, Column.HASH),
                value(record, Column.PRODUCT_KEY), groupTag, value(record, Column.ASSIGNED_USER), value(record, Column.DEVICE_NAME));
    }

    private String value(CsvRecord record, Column column) {
        String raw = record.field(index[column.ordinal()]);
        if (raw == null) {
            return null;
        }
        String trimmed = SpreadsheetSafe.restore(raw.strip());
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static String normalise(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isWhitespace(c) && c != '_' && c != '-' && c != '"' && c != '\uFEFF') {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
