package org.autopilotbridge.graph;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A JSON request body held in 64 KB blocks. An import call's body is megabytes long; one array of that size is
 * a "humongous" object to the G1 collector in a small heap, and several calls in flight made it collect without
 * pause. The length is still known, so the request keeps its Content-Length.
 */
final class JsonBody extends AbstractHttpEntity {

    private static final int BLOCK = 64 * 1024;

    private final List<byte[]> blocks = new ArrayList<>();
    private long length;

    private JsonBody() {
        super(ContentType.APPLICATION_JSON, null);
    }

    static JsonBody of(ObjectMapper json, Object value) {
        JsonBody body = new JsonBody();
        try (OutputStream out = body.new Writer()) {
            json.writeValue(out, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a Graph request body", e);
        }
        return body;
    }

    /**
     * Fills the blocks in order; the last one is cut to its used length on close. Jackson closes its target when
     * it is done and try-with-resources closes it again, so closing twice must not add the last block twice (it
     * did, and Graph refused every such body as "Multiple top-level values").
     */
    private final class Writer extends OutputStream {
        private byte[] current = new byte[BLOCK];
        private int used;
        private boolean closed;

        @Override
        public void write(int b) {
            if (used == current.length) {
                next();
            }
            current[used++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int count) {
            while (count > 0) {
                if (used == current.length) {
                    next();
                }
                int n = Math.min(count, current.length - used);
                System.arraycopy(bytes, offset, current, used, n);
                used += n;
                offset += n;
                count -= n;
            }
        }

        private void next() {
            blocks.add(current);
            length += used;
            current = new byte[BLOCK];
            used = 0;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            byte[] last = new byte[used];
            System.arraycopy(current, 0, last, 0, used);
            blocks.add(last);
            length += used;
        }
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public InputStream getContent() {
        List<InputStream> streams = new ArrayList<>(blocks.size());
        blocks.forEach(block -> streams.add(new ByteArrayInputStream(block)));
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        for (byte[] block : blocks) {
            out.write(block);
        }
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
    }
}
