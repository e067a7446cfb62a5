package org.autopilotbridge.ingest;

import java.util.Locale;

import org.autopilotbridge.config.DeviceLimits;
import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.TextPreview;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.RecordedLine;
import org.springframework.stereotype.Component;

/**
 * Decides, line by line, whether a device may be sent: a one-line reason for every refusal, and repairs where
 * the intent is certain (a hash missing its base64 padding, which Graph would otherwise refuse as Edm.Binary). A line
 * without a hash that names its own group tag, user or device name is an update-only line: it changes a registered device.
 */
@Component
public class DeviceRowValidator {

    private static final boolean[] BASE64_DATA = new boolean[128];

    static {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".chars().forEach(c -> BASE64_DATA[c] = true);
    }

    public RecordedLine validate(DeviceRow row, String defaultGroupTag) {
        String serial = row.serialNumber();
        boolean ownGroupTag = row.groupTag() != null;
        String reason = firstProblem(row, ownGroupTag ? row.groupTag() : defaultGroupTag);
        if (reason == null && row.hardwareHash() == null) {
            // An update-only line: the registered device keeps what the line does not name, a default tag included.
            return new RecordedLine(row.line(), serial, serial.toUpperCase(Locale.ROOT), null, null, row.groupTag(),
                    row.assignedUser(), row.deviceName(), null, null, ownGroupTag);
        }
        String groupTag = ownGroupTag ? row.groupTag() : defaultGroupTag;
        String hash = reason == null ? paddedHash(row.hardwareHash()) : null;
        if (reason == null && hash == null) {
            reason = "Hardware Hash is not valid base64";
        }
        if (reason == null) {
            reason = hashBlobProblem(hash);
        }
        if (reason != null) {
            return new RecordedLine(row.line(), shorten(serial), null, null, null, null, null, null, Outcome.REJECTED, reason, false);
        }
        return new RecordedLine(row.line(), serial, serial.toUpperCase(Locale.ROOT), hash, row.productKey(), groupTag,
                row.assignedUser(), row.deviceName(), null, null, ownGroupTag);
    }

    private static String firstProblem(DeviceRow row, String groupTag) {
        String serial = row.serialNumber();
        if (serial == null) {
            return "Device Serial Number is empty";
        }
        if (serial.length() > DeviceLimits.SERIAL_MAX) {
            return "Device Serial Number is longer than " + DeviceLimits.SERIAL_MAX + " characters";
        }
        if (hasControlCharacters(serial)) {
            return "Device Serial Number contains control characters";
        }
        if (row.hardwareHash() == null && row.groupTag() == null && row.assignedUser() == null && row.deviceName() == null) {
            return "Hardware Hash is empty (a line without one must name a Group Tag, Assigned User or Device Name to update a "
                    + "registered device)";
        }
        if (row.hardwareHash() != null && row.hardwareHash().length() > DeviceLimits.HASH_TEXT_MAX) {
            return "Hardware Hash is longer than " + DeviceLimits.HASH_TEXT_MAX + " characters";
        }
        if (row.productKey() != null && row.productKey().length() > DeviceLimits.PRODUCT_KEY_MAX) {
            return "Windows Product ID is longer than " + DeviceLimits.PRODUCT_KEY_MAX + " characters";
        }
        if (groupTag != null && groupTag.length() > DeviceLimits.GROUP_TAG_MAX) {
            return "Group Tag is longer than " + DeviceLimits.GROUP_TAG_MAX + " characters";
        }
        String user = row.assignedUser();
        if (user != null && (user.length() > DeviceLimits.USER_PRINCIPAL_NAME_MAX || !isUserPrincipalName(user))) {
            return "Assigned User '" + TextPreview.of(user) + "' is not a user principal name (user@domain)";
        }
        return row.deviceName() == null ? null : DeviceNames.problem(row.deviceName());
    }

    /** The hash with white space removed and '=' padding completed; null if it cannot be base64. */
    static String paddedHash(String text) {
        // Nearly every hash is plain base64 data, perhaps without its padding: one pass over it, no copy.
        int data = 0;
        while (data < text.length() && isBase64Data(text.charAt(data))) {
            data++;
        }
        if (data == text.length()) {
            return switch (data % 4) {
                case 0 -> text;
                case 2 -> text + "==";
                case 3 -> text + "=";
                default -> null;
            };
        }
        // Or padded already, as most files have them: the one or two '=' that complete its last group, then nothing.
        int padding = text.length() - data;
        if (padding <= 2 && text.length() % 4 == 0 && text.startsWith(padding == 1 ? "=" : "==", data)) {
            return text;
        }
        return cleanedAndPadded(text);
    }

    /** A table, not range tests: with random hash characters, range tests are branches the CPU cannot predict. */
    private static boolean isBase64Data(char c) {
        return c < BASE64_DATA.length && BASE64_DATA[c];
    }

    /** The general case: white space anywhere, padding present, or characters that are not base64 at all. */
    private static String cleanedAndPadded(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (!isBase64Data(c) && c != '=') {
                return null;
            }
            sb.append(c);
        }
        int firstPad = sb.indexOf("=");
        int dataLength = firstPad < 0 ? sb.length() : firstPad;
        if (dataLength % 4 == 1) {
            return null;
        }
        int missing = (4 - dataLength % 4) % 4;
        if (firstPad >= 0 && (sb.length() - firstPad > missing || sb.substring(firstPad).chars().anyMatch(ch -> ch != '='))) {
            return null;
        }
        sb.setLength(dataLength);
        while (sb.length() % 4 != 0) {
            sb.append('=');
        }
        return sb.toString();
    }

    /**
     * The blob's size follows from the text, which {@link #paddedHash} made valid, padded base64: decoding each
     * 4,000-character hash only to count its bytes cost a tenth of the time it takes to read a file.
     */
    private static String hashBlobProblem(String paddedHash) {
        int padding = paddedHash.endsWith("==") ? 2 : paddedHash.endsWith("=") ? 1 : 0;
        int bytes = paddedHash.length() / 4 * 3 - padding;
        if (bytes < DeviceLimits.HASH_BYTES_MIN) {
            return "Hardware Hash is too short to be a hardware hash (" + bytes + " bytes)";
        }
        return null;
    }

    private static boolean isUserPrincipalName(String user) {
        int at = user.indexOf('@');
        return at > 0 && at == user.lastIndexOf('@') && at < user.length() - 1 && user.indexOf(' ') < 0;
    }

    private static boolean hasControlCharacters(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static String shorten(String serial) {
        return serial == null || serial.length() <= DeviceLimits.SERIAL_MAX ? serial : TextPreview.of(serial);
    }
}
