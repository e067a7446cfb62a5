package org.autopilotbridge.csv;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file's bytes, held to the length it had when it was opened: a file cut short or written on while it is read (a tool
 * still writing through a handle it kept) ends reading with {@link Changed} at the record it was in, instead of that
 * record being taken, cut, as a whole line.
 */
final class TakenLength extends FilterInputStream {

    /** The file no longer has the length it had when it was opened. */
    static final class Changed extends IOException {
        Changed(String message) {
            super(message);
        }
    }

    private final long length;
    private long read;

    TakenLength(InputStream in, long length) {
        super(in);
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = super.read(buffer, off, len);
        count(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        read += skipped;
        return skipped;
    }

    private void count(int n) throws Changed {
        if (n < 0 && read < length) {
            throw new Changed("the file ended at byte " + read + " of the " + length + " it had when it was taken: it was "
                    + "cut short while it was read");
        }
        read += Math.max(n, 0);
        if (read > length) {
            throw new Changed("the file grew past the " + length + " bytes it had when it was taken: it was written to "
                    + "while it was read");
        }
    }
}
