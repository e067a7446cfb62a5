package org.autopilotbridge.csv;

import java.util.List;

/** One CSV record as written in the file, with the line it starts on (the header is line 1 of most files). */
public record CsvRecord(long line, List<String> fields) {

    public String field(int index) {
        return index >= 0 && index < fields.size() ? fields.get(index) : null;
    }
}
