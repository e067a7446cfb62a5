package org.autopilotbridge.csv;

/** Shortens text taken from an input file before it goes into a message, so a runaway field stays one line. */
public final class TextPreview {

    private static final int MAX = 120;

    private TextPreview() {
    }

    public static String of(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= MAX ? oneLine : oneLine.substring(0, MAX) + "... (" + oneLine.length() + " characters)";
    }
}
