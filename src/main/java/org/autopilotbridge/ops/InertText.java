package org.autopilotbridge.ops;

/**
 * Text from outside (file names, CSV fields, a server's message) made unable to start a line of its own: control
 * characters (C0, DEL, C1) and Unicode's line and paragraph separators are written as escapes, {@code \n} and
 * {@code \}{@code u2028}, so a file named {@code x\n2026-01-01 ERROR ...} cannot forge a log line.
 */
public final class InertText {

    private InertText() {
    }

    public static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : String.valueOf(c));
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029'
                    ? String.format("\\u%04x", (int) c) : null;
        };
    }
}
