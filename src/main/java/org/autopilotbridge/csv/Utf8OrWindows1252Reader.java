package org.autopilotbridge.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 and reads every byte sequence that is not valid UTF-8 as windows-1252 instead. Files without a
 * BOM are UTF-8 or ANSI, sometimes both after an OEM concatenated sheets; deciding per malformed sequence keeps
 * reading in one pass and in constant memory, where guessing per file would need the whole file first.
 */
final class Utf8OrWindows1252Reader extends Reader {

    private static final char[] WINDOWS_1252 = windows1252Table();

    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(16 * 1024).flip();
    private final CharBuffer chars = CharBuffer.allocate(16 * 1024).flip();
    private boolean endOfInput;
    private boolean flushed;

    Utf8OrWindows1252Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] target, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, chars.remaining());
        chars.get(target, off, n);
        return n;
    }

    /** Decodes the next chunk into {@link #chars}; false at the end of the input. */
    private boolean fill() throws IOException {
        chars.clear();
        while (chars.position() == 0 && !flushed) {
            if (bytes.remaining() < 4 && !endOfInput) {
                readMoreBytes();
            }
            CoderResult result = utf8.decode(bytes, chars, endOfInput);
            if (result.isError()) {
                int bad = result.length();
                if (chars.remaining() < bad) {
                    break;
                }
                for (int i = 0; i < bad; i++) {
                    chars.put(WINDOWS_1252[bytes.get() & 0xFF]);
                }
            } else if (result.isUnderflow() && endOfInput && !bytes.hasRemaining()) {
                utf8.flush(chars);
                flushed = true;
            }
        }
        chars.flip();
        return chars.hasRemaining();
    }

    private void readMoreBytes() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static char[] windows1252Table() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        return new String(all, Charset.forName("windows-1252")).toCharArray();
    }
}
