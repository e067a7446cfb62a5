package org.autopilotbridge.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Streams the records of one hardware-hash file in constant memory: any encoding {@link DecodedText} knows, any
 * line ending, quoted or not. The first non-blank record is the header; blank records are skipped.
 */
public final class HashFileReader implements Closeable, Iterator<CsvRecord> {

    /** No real field comes near this; a longer one means the file is not a hash file, and memory stays bounded. */
    static final int MAX_FIELD_CHARS = 1_000_000;
    /**
     * A record is held whole until it is handed on, so fields and characters per record are capped too: a line of
     * empty fields or of many long ones would otherwise fill the heap. Real files have a dozen columns and a hash of
     * at most {@link org.autopilotbridge.config.DeviceLimits#HASH_TEXT_MAX} characters.
     */
    static final int MAX_FIELDS = 200;
    static final int MAX_RECORD_CHARS = 1_000_000;

    private static final CsvFactory CSV = CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_FIELD_CHARS).build())
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final CsvParser parser;
    private final String encoding;
    private final HeaderMapping mapping;
    private CsvRecord next;
    /** Where reading stopped after {@code next}: it surfaces only once every record before it was taken. */
    private UnreadableHashFileException failure;

    private HashFileReader(DecodedText text) throws IOException, UnreadableHashFileException {
        this.parser = (CsvParser) CSV.createParser(text.reader());
        this.parser.setSchema(CsvSchema.emptySchema().withoutHeader());
        this.encoding = text.encoding();
        CsvRecord header = readRecord();
        if (header == null) {
            throw new UnreadableHashFileException("the file holds no text, only blank lines");
        }
        if (looksBinary(header)) {
            throw new UnreadableHashFileException("the file is binary, not CSV text (control characters in line " + header.line() + ")");
        }
        this.mapping = HeaderMapping.of(header);
        this.next = readRecord();
    }

    public static HashFileReader open(Path file) throws IOException, UnreadableHashFileException {
        DecodedText text = DecodedText.open(file);
        try {
            return new HashFileReader(text);
        } catch (IOException | RuntimeException e) {
            text.reader().close();
            throw e;
        }
    }

    public HeaderMapping mapping() {
        return mapping;
    }

    public String encoding() {
        return encoding;
    }

    @Override
    public boolean hasNext() {
        return next != null || failure != null;
    }

    @Override
    public CsvRecord next() {
        if (next == null && failure != null) {
            throw failure;
        }
        if (next == null) {
            throw new NoSuchElementException();
        }
        CsvRecord current = next;
        try {
            next = readRecord();
        } catch (UnreadableHashFileException e) {
            next = null;
            failure = e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the record after line " + current.line() + ": " + e.getMessage(), e);
        }
        return current;
    }

    /**
     * The data lines as {@link DeviceRow}s, in chunks of at most {@code size}, for recording in bulk. When the file
     * turns out to be unreadable part-way, the lines read before come first as a last, shorter chunk; the failure
     * comes with the next one.
     */
    public Iterator<List<DeviceRow>> deviceRowChunks(int size) {
        return new Iterator<>() {
            private UnreadableHashFileException failure;

            @Override
            public boolean hasNext() {
                return failure != null || HashFileReader.this.hasNext();
            }

            @Override
            public List<DeviceRow> next() {
                if (failure != null) {
                    throw failure;
                }
                List<DeviceRow> chunk = new ArrayList<>(size);
                try {
                    while (chunk.size() < size && HashFileReader.this.hasNext()) {
                        chunk.add(mapping.toDeviceRow(HashFileReader.this.next()));
                    }
                } catch (UnreadableHashFileException e) {
                    if (chunk.isEmpty()) {
                        throw e;
                    }
                    failure = e;
                }
                return chunk;
            }
        };
    }

    private CsvRecord readRecord() throws IOException {
        try {
            return nextRecord();
        } catch (StreamConstraintsException e) {
            long line = parser.currentLocation().getLineNr();
            throw new UnreadableHashFileException(line, "line " + line + " holds a field longer than " + MAX_FIELD_CHARS
                    + " characters: this is not a hash file");
        } catch (TakenLength.Changed e) {
            long line = parser.currentLocation().getLineNr();
            throw new UnreadableHashFileException(line, "line " + line + " cannot be read whole: " + e.getMessage());
        } catch (StreamReadException e) {
            long line = parser.currentLocation().getLineNr();
            throw new UnreadableHashFileException(line, "line " + line + " is not valid CSV ("
                    + TextPreview.of(e.getOriginalMessage()) + "); fix the quotes on that line and drop the file again");
        }
    }

    private CsvRecord nextRecord() throws IOException {
        while (true) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                continue;
            }
            long line = parser.currentLocation().getLineNr();
            List<String> fields = new ArrayList<>();
            boolean blank = true;
            long chars = 0;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                String value = parser.getText();
                fields.add(value);
                chars += value.length();
                if (fields.size() > MAX_FIELDS || chars > MAX_RECORD_CHARS) {
                    throw new UnreadableHashFileException(line, "line " + line + " holds more than " + (chars > MAX_RECORD_CHARS
                            ? MAX_RECORD_CHARS + " characters" : MAX_FIELDS + " fields") + ": this is not a hash file");
                }
                blank &= value.isBlank();
            }
            if (!blank) {
                return new CsvRecord(line, fields);
            }
        }
    }

    private static boolean looksBinary(CsvRecord record) {
        for (String field : record.fields()) {
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == 0 || (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == '\uFFFD') {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
