package org.autopilotbridge.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import org.autopilotbridge.ingest.DeviceRowValidator;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.testing.HashFiles;

/**
 * Whatever arrives, the reader and the validator answer with records or a reason, never with a crash; and a well-formed
 * hash file is read whole, so that refusing everything cannot pass.
 */
class HashFilePropertiesTest {

    private final DeviceRowValidator validator = new DeviceRowValidator();

    @Property(tries = 300)
    void anyBytesAreEitherReadOrRefusedAsAWhole(@ForAll @Size(max = 4096) byte[] content) throws IOException {
        Path file = Files.createTempFile("fuzz", ".csv");
        try {
            Files.write(file, content);
            try (HashFileReader reader = HashFileReader.open(file)) {
                reader.deviceRowChunks(50).forEachRemaining(chunk -> chunk.forEach(this::validateOneLine));
            } catch (UnreadableHashFileException refused) {
                assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            }
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 300)
    void anyLineUnderAValidHeaderIsValidatedOrRejectedWithAOneLineReason(@ForAll("csvLines") String line) throws IOException {
        Path file = Files.createTempFile("fuzz", ".csv");
        try {
            Files.writeString(file, "Device Serial Number,Hardware Hash,Group Tag,Assigned User\r\n" + line + "\r\n", StandardCharsets.UTF_8);
            try (HashFileReader reader = HashFileReader.open(file)) {
                reader.deviceRowChunks(50).forEachRemaining(chunk -> chunk.forEach(this::validateOneLine));
            } catch (UnreadableHashFileException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 100)
    void anyWellFormedFileIsReadWholeWithEachLineInPlace(@ForAll("serials") List<String> serials, @ForAll boolean utf16,
                                                         @ForAll boolean crlf) throws Exception {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Windows Product ID,Hardware Hash"));
        List<String> hashes = new ArrayList<>();
        Random random = new Random(serials.size());
        for (String serial : serials) {
            hashes.add(HashFiles.hash(random));
            lines.add(serial + ",," + hashes.get(hashes.size() - 1));
        }
        Path file = Files.createTempFile("well-formed", ".csv");
        try {
            Files.write(file, utf16 ? HashFiles.encode(lines, crlf ? "\r\n" : "\n", StandardCharsets.UTF_16LE, HashFiles.UTF16LE_BOM)
                    : HashFiles.encode(lines, crlf ? "\r\n" : "\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
            List<DeviceRow> rows = new ArrayList<>();
            try (HashFileReader reader = HashFileReader.open(file)) {
                reader.deviceRowChunks(7).forEachRemaining(rows::addAll);
            }

            assertThat(rows).extracting(DeviceRow::serialNumber).containsExactlyElementsOf(serials);
            assertThat(rows).extracting(DeviceRow::hardwareHash).containsExactlyElementsOf(hashes);
            assertThat(rows).extracting(DeviceRow::line).containsExactlyElementsOf(
                    LongStream.rangeClosed(2, serials.size() + 1).boxed().toList());
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 200)
    void anyHashMissingItsPaddingIsRepairedToTheSameBytes(@ForAll @Size(min = 64, max = 4000) byte[] blob) {
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(blob);

        RecordedLine line = validator.validate(new DeviceRow(2, "SN-1", unpadded, null, null, null, null), null);

        assertThat(line.outcome()).isNull();
        assertThat(Base64.getDecoder().decode(line.hardwareHash())).isEqualTo(blob);
    }

    @Property(tries = 300)
    void anyFieldsAreValidatedWithoutThrowing(@ForAll @Size(max = 300) String serial, @ForAll @Size(max = 300) String hash,
                                              @ForAll @Size(max = 200) String groupTag, @ForAll @Size(max = 300) String user) {
        validateOneLine(new DeviceRow(2, blankToNull(serial), blankToNull(hash), null, blankToNull(groupTag), blankToNull(user), null));
    }

    @Provide
    Arbitrary<List<String>> serials() {
        return Arbitraries.strings().withChars("ABCXYZ0189-").ofMinLength(1).ofMaxLength(30)
                .filter(serial -> !serial.startsWith("-")).list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> csvLines() {
        Arbitrary<String> field = Arbitraries.strings().withChars("abcXYZ019+/=\"',;@-\t\r\n\u0000\u00e9\u20ac ").ofMaxLength(60);
        return field.list().ofMinSize(1).ofMaxSize(6).map(fields -> String.join(",", fields));
    }

    private void validateOneLine(DeviceRow row) {
        RecordedLine line = validator.validate(row, null);
        if (line.outcome() == Outcome.REJECTED) {
            assertThat(line.detail()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
        } else if (line.updateOnly()) {
            assertThat(line.serialKey()).isNotBlank();
            assertThat(line.groupTag() != null || line.assignedUser() != null).as("an update names what to change").isTrue();
        } else {
            assertThat(line.serialKey()).isNotBlank();
            assertThat(line.hardwareHash().length() % 4).isZero();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

}
