package org.autopilotbridge.csv;

/**
 * Guards report files against CSV injection: a field that a spreadsheet would run as a formula gets a leading
 * apostrophe. The reader takes that apostrophe off again, so a failed-rows file can be dropped back as it is.
 */
public final class SpreadsheetSafe {

    private SpreadsheetSafe() {
    }

    public static String neutralise(String field) {
        return field != null && !field.isEmpty() && isFormulaStart(field.charAt(0)) ? "'" + field : field;
    }

    static String restore(String field) {
        return field.length() > 1 && field.charAt(0) == '\'' && isFormulaStart(field.charAt(1)) ? field.substring(1) : field;
    }

    private static boolean isFormulaStart(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}
