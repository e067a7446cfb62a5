package org.autopilotbridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;

/** Realistic hardware-hash files for tests, written the way vendors and Get-WindowsAutopilotInfo write them. */
public final class HashFiles {

    public static final byte[] NO_BOM = {};
    public static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    public static final byte[] UTF16LE_BOM = {(byte) 0xFF, (byte) 0xFE};
    public static final byte[] UTF16BE_BOM = {(byte) 0xFE, (byte) 0xFF};

    private HashFiles() {
    }

    /** A hash like a real one: base64 of a ~3,000-byte blob starting "OA", about 4,000 characters. */
    public static String hash(Random random) {
        byte[] blob = new byte[3000];
        random.nextBytes(blob);
        blob[0] = 'O';
        blob[1] = 'A';
        return Base64.getEncoder().encodeToString(blob);
    }

    /** A hash whose base64 padding was stripped, as some devices emit it. */
    public static String unpaddedHash(Random random) {
        byte[] blob = new byte[2999];
        random.nextBytes(blob);
        blob[0] = 'O';
        blob[1] = 'A';
        return Base64.getEncoder().withoutPadding().encodeToString(blob);
    }

    public static byte[] encode(List<String> lines, String lineEnd, Charset charset, byte[] bom) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bom);
        out.writeBytes((String.join(lineEnd, lines) + lineEnd).getBytes(charset));
        return out.toByteArray();
    }

    /**
     * Writes a file the way a slow upload does, in place and under its final name: each device line in two
     * halves with a pause after each, so a reader that does not wait would see a line cut in two.
     */
    public static void writeSlowly(Path file, Random random, String serialPrefix, int devices, Duration pause)
            throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("Device Serial Number,Hardware Hash\r\n");
            for (int i = 1; i <= devices; i++) {
                String line = serialPrefix + i + "," + hash(random) + "\r\n";
                for (String half : new String[] {line.substring(0, line.length() / 2), line.substring(line.length() / 2)}) {
                    out.write(half);
                    out.flush();
                    Thread.sleep(pause.toMillis());
                }
            }
        }
    }

    /** Drops a file the way a careful uploader does: written under a hidden name, then renamed into place. */
    public static Path drop(Path inbox, String name, byte[] content) throws IOException {
        Files.createDirectories(inbox);
        Path partial = inbox.resolve("." + name + ".part");
        Files.write(partial, content);
        return Files.move(partial, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The device lines of a file as the service reads a hash file: what a failed-rows file must read back as. */
    public static List<DeviceRow> readBack(Path file) throws IOException {
        List<DeviceRow> rows = new ArrayList<>();
        try (HashFileReader reader = HashFileReader.open(file)) {
            reader.deviceRowChunks(100).forEachRemaining(rows::addAll);
        }
        return rows;
    }
}
