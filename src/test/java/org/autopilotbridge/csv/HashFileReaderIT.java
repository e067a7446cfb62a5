package org.autopilotbridge.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import org.autopilotbridge.ingest.DeviceRowValidator;
import org.autopilotbridge.testing.HashFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashFileReaderIT {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private final Random random = new Random(42);
    @TempDir
    Path dir;

    @Test
    void readsGetWindowsAutopilotInfoOutputInUtf16LeWithBomAndCrlf() throws Exception {
        String hash = HashFiles.hash(random);
        Path file = write(HashFiles.encode(List.of("Device Serial Number,Windows Product ID,Hardware Hash",
                "PF2ABC12,," + hash, "PF2ABC13,00330-80000-00000-AA123," + hash), "\r\n", StandardCharsets.UTF_16LE, HashFiles.UTF16LE_BOM));

        List<DeviceRow> rows = rows(file);

        assertThat(rows).extracting(DeviceRow::line).containsExactly(2L, 3L);
        assertThat(rows.get(0).serialNumber()).isEqualTo("PF2ABC12");
        assertThat(rows.get(0).hardwareHash()).isEqualTo(hash);
        assertThat(rows.get(0).productKey()).isNull();
        assertThat(rows.get(1).productKey()).isEqualTo("00330-80000-00000-AA123");
        assertThat(encoding(file)).isEqualTo("UTF-16LE (BOM)");
    }

    @Test
    void readsUtf16BigEndianWithBom() throws Exception {
        Path file = write(HashFiles.encode(List.of("Device Serial Number,Hardware Hash", "SN1,T0FB"), "\n",
                StandardCharsets.UTF_16BE, HashFiles.UTF16BE_BOM));

        assertThat(rows(file)).extracting(DeviceRow::serialNumber).containsExactly("SN1");
        assertThat(encoding(file)).isEqualTo("UTF-16BE (BOM)");
    }

    @Test
    void readsUtf8WithBomAndWithout() throws Exception {
        List<String> lines = List.of("Device Serial Number,Hardware Hash,Group Tag", "SN1,T0FB,Zürich");
        Path withBom = write(HashFiles.encode(lines, "\n", StandardCharsets.UTF_8, HashFiles.UTF8_BOM));
        Path without = write(HashFiles.encode(lines, "\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        assertThat(rows(withBom).get(0).groupTag()).isEqualTo("Zürich");
        assertThat(rows(without).get(0).groupTag()).isEqualTo("Zürich");
        assertThat(rows(withBom).get(0).serialNumber()).isEqualTo("SN1");
    }

    @Test
    void fallsBackToWindows1252ForBytesThatAreNotUtf8EvenWithinOneFile() throws Exception {
        byte[] ansi = HashFiles.encode(List.of("Device Serial Number,Hardware Hash,Group Tag", "SN1,T0FB,Genève"), "\r\n", WINDOWS_1252, HashFiles.NO_BOM);
        byte[] utf8 = HashFiles.encode(List.of("SN2,T0FB,Zürich"), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM);
        byte[] mixed = new byte[ansi.length + utf8.length];
        System.arraycopy(ansi, 0, mixed, 0, ansi.length);
        System.arraycopy(utf8, 0, mixed, ansi.length, utf8.length);

        List<DeviceRow> rows = rows(write(mixed));

        assertThat(rows).extracting(DeviceRow::groupTag).containsExactly("Genève", "Zürich");
    }

    @Test
    void acceptsHeaderVariantsExtraColumnsInAnyOrderAndQuotes() throws Exception {
        Path file = write(HashFiles.encode(List.of(
                "\"Manufacturer\",\"HARDWARE_HASH\",\"order id\",\"serial number\",\"Product Key\",\"Model\",\"AssignedUserPrincipalName\"",
                "\"Contoso\",\"T0FB\",\"PO-77, EMEA\",\"SN1\",\"\",\"Book 3\",\"ana@contoso.com\""), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        DeviceRow row = rows(file).get(0);

        assertThat(row.serialNumber()).isEqualTo("SN1");
        assertThat(row.hardwareHash()).isEqualTo("T0FB");
        assertThat(row.groupTag()).as("OrderID stands in for a missing Group Tag").isEqualTo("PO-77, EMEA");
        assertThat(row.assignedUser()).isEqualTo("ana@contoso.com");
        assertThat(row.productKey()).isNull();
    }

    @Test
    void prefersGroupTagOverOrderIdWhenBothExist() throws Exception {
        Path file = write(HashFiles.encode(List.of("OrderID,Group Tag,Device Serial Number,Hardware Hash",
                "PO-1,Kiosk,SN1,T0FB"), "\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        assertThat(rows(file).get(0).groupTag()).isEqualTo("Kiosk");
    }

    @Test
    void countsPhysicalLinesAcrossBlankLinesLoneCrAndQuotedLineBreaks() throws Exception {
        String text = "Device Serial Number,Hardware Hash,Notes\r\n\r\nSN1,T0FB,\"two\nlines\"\rSN2,T0FB,x\n,,\nSN3,T0FB,y";
        Path file = write(text.getBytes(StandardCharsets.UTF_8));

        assertThat(rows(file)).extracting(DeviceRow::line).containsExactly(3L, 5L, 7L);
    }

    @Test
    void takesBackTheApostropheItsReportsPutBeforeFormulaCharacters() throws Exception {
        Path file = write(HashFiles.encode(List.of("Device Serial Number,Hardware Hash", "'+SN1,T0FB"), "\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        assertThat(rows(file).get(0).serialNumber()).isEqualTo("+SN1");
    }

    @Test
    void refusesMalformedQuotingNamingTheLine() throws IOException {
        Path file = write("Device Serial Number,Hardware Hash\r\nSN1,T0FB\r\n\"SN2\"x,T0FB\r\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> rows(file)).isInstanceOf(UnreadableHashFileException.class)
                .hasMessageContaining("line 3 is not valid CSV");
    }

    @Test
    void refusesALineOfThirtyMillionFieldsInA64MegabyteHeapKeepingTheLinesBefore() throws Exception {
        Path file = hostile("fields.csv", out -> {
            char[] commas = new char[1_000_000];
            java.util.Arrays.fill(commas, ',');
            for (int i = 0; i < 30; i++) {
                out.write(commas);
            }
        });

        assertThat(readInSmallHeap(file)).containsExactly("lines [2, 3]",
                "unreadable from line 4: line 4 holds more than 200 fields: this is not a hash file");
    }

    @Test
    void refusesALineOfNinetyMillionCharactersInA64MegabyteHeapKeepingTheLinesBefore() throws Exception {
        Path file = hostile("long-line.csv", out -> {
            char[] field = new char[900_000];
            java.util.Arrays.fill(field, 'A');
            for (int i = 0; i < 100; i++) {
                out.write(field);
                out.write(',');
            }
        });

        assertThat(readInSmallHeap(file)).containsExactly("lines [2, 3]",
                "unreadable from line 4: line 4 holds more than 1000000 characters: this is not a hash file");
    }

    @Test
    void readsTwoMillionLinesThroughToTheLastLineNumber() throws Exception {
        Path file = dir.resolve("millions.csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("Device Serial Number,Hardware Hash\r\n");
            for (int i = 0; i < 2_000_000; i++) {
                out.write("SN");
                out.write(Integer.toString(i));
                out.write(",T0FB\r\n");
            }
        }
        DeviceRowValidator validator = new DeviceRowValidator();
        long lines = 0;
        long lastLine = 0;
        try (HashFileReader reader = HashFileReader.open(file)) {
            for (Iterator<List<DeviceRow>> chunks = reader.deviceRowChunks(1000); chunks.hasNext(); ) {
                for (DeviceRow row : chunks.next()) {
                    validator.validate(row, null);
                    lines++;
                    lastLine = row.line();
                }
            }
        }

        assertThat(lines).isEqualTo(2_000_000);
        assertThat(lastLine).isEqualTo(2_000_001);
    }

    @Test
    void refusesAnEmptyFile() throws IOException {
        assertUnreadable(write(new byte[0]), "the file is empty");
    }

    @Test
    void refusesAFileOfBlankLines() throws IOException {
        assertUnreadable(write("\r\n\r\n  \r\n".getBytes(StandardCharsets.UTF_8)), "only blank lines");
    }

    @Test
    void refusesAnExcelWorkbook() throws IOException {
        assertUnreadable(write(new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0}), "Excel workbook");
    }

    @Test
    void refusesBinaryContent() throws IOException {
        byte[] bytes = new byte[512];
        random.nextBytes(bytes);
        bytes[0] = 7;
        bytes[1] = 1;
        assertUnreadable(write(bytes), "binary");
    }

    @Test
    void refusesAFileWithoutTheRequiredColumnsAndSaysWhatItFound() throws IOException {
        Path file = write("Name,Hash\r\nx,y\r\n".getBytes(StandardCharsets.UTF_8));
        assertUnreadable(file, "line 1 has no 'Device Serial Number' and no 'Hardware Hash' column (found: Name, Hash); a "
                + "file that only updates registered devices needs a 'Group Tag', 'Assigned User' or 'Device Name' column instead");
        assertUnreadable(write("Serial Number,Model\r\nSN1,Book 3\r\n".getBytes(StandardCharsets.UTF_8)),
                "line 1 has no 'Hardware Hash' column (found: Serial Number, Model)");
        assertUnreadable(write("Group Tag,Hardware Hash\r\nKiosk,T0FB\r\n".getBytes(StandardCharsets.UTF_8)),
                "line 1 has no 'Device Serial Number' column");
    }

    @Test
    void readsAFileWithoutAHashColumnAsUpdatesWhenItHasAGroupTagOrUserColumn() throws Exception {
        Path retag = write(HashFiles.encode(List.of("Device Serial Number,Group Tag", "SN1,Kiosk", "SN2,"), "\r\n",
                StandardCharsets.UTF_8, HashFiles.UTF8_BOM));
        Path reassign = write("SerialNumber,Assigned User\nSN3,ana@contoso.com\n".getBytes(StandardCharsets.UTF_8));
        Path orders = write("Serial Number,OrderID\nSN4,PO-7\n".getBytes(StandardCharsets.UTF_8));

        assertThat(rows(retag)).extracting(DeviceRow::serialNumber, DeviceRow::hardwareHash, DeviceRow::groupTag)
                .containsExactly(tuple("SN1", null, "Kiosk"), tuple("SN2", null, null));
        assertThat(rows(reassign).get(0).assignedUser()).isEqualTo("ana@contoso.com");
        assertThat(rows(orders).get(0).groupTag()).as("OrderID stands in for the group tag here too").isEqualTo("PO-7");
    }

    private interface Lines {
        void write(Writer out) throws IOException;
    }

    /** A file whose line 4 is {@code line}, after a header and two good lines, and followed by one more. */
    private Path hostile(String name, Lines line) throws IOException {
        Path file = dir.resolve(name);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("Device Serial Number,Hardware Hash\r\nSN1,T0FB\r\nSN2,T0FB\r\n");
            line.write(out);
            out.write("\r\nSN3,T0FB\r\n");
        }
        return file;
    }

    /**
     * What {@link ReadInSmallHeap} prints for the file, read in a JVM whose heap is smaller than the hostile line: a
     * reader that held the line would end that JVM with an OutOfMemoryError, and print nothing.
     */
    private static List<String> readInSmallHeap(Path file) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), ReadInSmallHeap.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        List<String> output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(process.waitFor()).as(String.join("\n", output)).isZero();
        return output;
    }

    private Path write(byte[] content) throws IOException {
        return Files.write(Files.createTempFile(dir, "hashes", ".csv"), content);
    }

    private static List<DeviceRow> rows(Path file) throws Exception {
        List<DeviceRow> rows = new ArrayList<>();
        try (HashFileReader reader = HashFileReader.open(file)) {
            reader.deviceRowChunks(2).forEachRemaining(rows::addAll);
        }
        return rows;
    }

    private static String encoding(Path file) throws Exception {
        try (HashFileReader reader = HashFileReader.open(file)) {
            return reader.encoding();
        }
    }

    private static void assertUnreadable(Path file, String reason) {
        assertThatThrownBy(() -> HashFileReader.open(file).close())
                .isInstanceOf(UnreadableHashFileException.class)
                .hasMessageContaining(reason);
    }
}
