package org.autopilotbridge.csv;

/**
 * Guards report files against CSV injection: a field that a spreadsheet would run as a formula gets a leading
 * apostrophe. Spreadsheets skip leading spaces and quotes before they look for a formula, so {@code   =cmd} and
 * {@code "=cmd} are formulas too. The reader takes that apostrophe off again, so a failed-rows file can be dropped
 * back as it is.
 */
public final class SpreadsheetSafe {

    private SpreadsheetSafe() {
    }

    public static String neutralise(String field) {
        return field != null && isFormula(field) ? "'" + field : field;
    }

    static String restore(String field) {
        return field.length() > 1 && field.charAt(0) == '\'' && isFormula(field.substring(1)) ? field.substring(1) : field;
    }

    private static boolean isFormula(String field) {
        if (field.isEmpty()) {
            return false;
        }
        // A tab or CR in front is refused on its own, as before: some spreadsheets split or trim there.
        char first = field.charAt(0);
        if (first == '\t' || first == '\r') {
            return true;
        }
        int i = 0;
        while (i < field.length() && " \t\r\n\"'".indexOf(field.charAt(i)) >= 0) {
            i++;
        }
        return i < field.length() && "=+-@".indexOf(field.charAt(i)) >= 0;
    }
}
