package org.autopilotbridge.graph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * A device's hardware hash as it is sent: its padded base64 text, as the bytes its file's spool holds. Written into a
 * request body as those bytes, not as text: turning each 4,000-character hash into characters and checking every one
 * for JSON escaping was most of what building an import body cost (docs/performance.md). Base64 text never needs
 * escaping, and a hash is validated as base64 before it is spooled.
 */
@JsonSerialize(using = HardwareHash.AsJsonText.class)
public final class HardwareHash {

    private final byte[] base64;

    /** The hash's base64 text as ASCII bytes, which this hash holds from now on. */
    public HardwareHash(byte[] base64) {
        this.base64 = base64;
    }

    public static HardwareHash of(String base64) {
        return new HardwareHash(base64.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return new String(base64, StandardCharsets.US_ASCII);
    }

    /** The hash as a JSON string; a generator that writes characters, not bytes, is given the text. */
    static final class AsJsonText extends StdSerializer<HardwareHash> {

        AsJsonText() {
            super(HardwareHash.class);
        }

        @Override
        public void serialize(HardwareHash hash, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (gen instanceof UTF8JsonGenerator) {
                gen.writeRawUTF8String(hash.base64, 0, hash.base64.length);
            } else {
                gen.writeString(hash.toString());
            }
        }
    }
}
