package org.autopilotbridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Random;

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

    /** Drops a file the way a careful uploader does: written under a hidden name, then renamed into place. */
    public static Path drop(Path inbox, String name, byte[] content) throws IOException {
        Files.createDirectories(inbox);
        Path partial = inbox.resolve("." + name + ".part");
        Files.write(partial, content);
        return Files.move(partial, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
