package org.autopilotbridge.finish;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import org.autopilotbridge.csv.SpreadsheetSafe;

/**
 * A CSV report being written: UTF-8 with a BOM and CRLF so that Excel opens it as it is, every field made
 * spreadsheet-safe, and quoting left to Jackson.
 */
final class CsvOut implements AutoCloseable {

    // Strict checking quotes only fields that need it, so reports stay readable and match what tools write.
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final CsvSchema SCHEMA = CsvSchema.emptySchema().withLineSeparator("\r\n");

    private final Writer writer;
    private final SequenceWriter rows;

    CsvOut(OutputStream out) throws IOException {
        this.writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write('\uFEFF');
        this.rows = CSV.writer(SCHEMA).writeValues(writer);
    }

    void row(List<String> fields) throws IOException {
        String[] safe = new String[fields.size()];
        for (int i = 0; i < safe.length; i++) {
            String field = fields.get(i);
            safe[i] = field == null ? "" : SpreadsheetSafe.neutralise(field);
        }
        rows.write(safe);
    }

    @Override
    public void close() throws IOException {
        rows.close();
        writer.close();
    }
}
