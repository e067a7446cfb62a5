package org.autopilotbridge.csv;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hash file opened as text: the encoding is decided from the first bytes (BOM, or the zero bytes of UTF-16
 * without one), else UTF-8 with a per-byte windows-1252 fallback.
 */
record DecodedText(Reader reader, String encoding) {

    private static final int BUFFER = 64 * 1024;

    static DecodedText open(Path file) throws IOException, UnreadableHashFileException {
        InputStream in = new BufferedInputStream(new TakenLength(Files.newInputStream(file), Files.size(file)), BUFFER);
        try {
            in.mark(4);
            byte[] head = in.readNBytes(4);
            in.reset();
            return decide(in, head);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static DecodedText decide(InputStream in, byte[] head) throws IOException, UnreadableHashFileException {
        if (head.length == 0) {
            throw new UnreadableHashFileException("the file is empty");
        }
        if (startsWith(head, 'P', 'K', 3, 4)) {
            throw new UnreadableHashFileException("the file is a ZIP archive or an Excel workbook, not CSV text: save it as CSV and drop it again");
        }
        if (startsWith(head, '%', 'P', 'D', 'F')) {
            throw new UnreadableHashFileException("the file is a PDF, not CSV text");
        }
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            in.skipNBytes(3);
            return new DecodedText(new Utf8OrWindows1252Reader(in), "UTF-8 (BOM)");
        }
        if (startsWith(head, 0xFF, 0xFE)) {
            in.skipNBytes(2);
            return utf16(in, StandardCharsets.UTF_16LE, "UTF-16LE (BOM)");
        }
        if (startsWith(head, 0xFE, 0xFF)) {
            in.skipNBytes(2);
            return utf16(in, StandardCharsets.UTF_16BE, "UTF-16BE (BOM)");
        }
        if (head.length >= 2 && head[0] != 0 && head[1] == 0) {
            return utf16(in, StandardCharsets.UTF_16LE, "UTF-16LE");
        }
        if (head.length >= 2 && head[0] == 0 && head[1] != 0) {
            return utf16(in, StandardCharsets.UTF_16BE, "UTF-16BE");
        }
        return new DecodedText(new Utf8OrWindows1252Reader(in), "UTF-8 or windows-1252");
    }

    private static DecodedText utf16(InputStream in, Charset charset, String name) {
        Reader reader = new InputStreamReader(in, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
        return new DecodedText(reader, name);
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
