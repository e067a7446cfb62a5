package org.autopilotbridge.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

/** Request bodies as Graph's OData reader takes them: exactly one JSON value, and Content-Length its bytes. */
class JsonBodyTest {

    /** Reads as Graph does: anything after the first value is refused ("Multiple top-level values"). */
    private static final ObjectMapper GRAPH_READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final ObjectMapper WRITER = new ObjectMapper();

    @Test
    void aSmallBodyIsOneJsonValueWithItsExactLength() throws IOException {
        JsonBody body = JsonBody.of(WRITER, new ImportRequest(devices(3)));

        byte[] written = bytesOf(body);

        assertThat(body.getContentLength()).isEqualTo(written.length);
        JsonNode read = GRAPH_READER.readTree(written);
        // Written out by hand from Graph's import action, not by the mapper under test.
        assertThat(read).isEqualTo(GRAPH_READER.readTree("{\"importedWindowsAutopilotDeviceIdentities\": [" + String.join(",",
                graphDevice(0), graphDevice(1), graphDevice(2)) + "]}"));
    }

    @Test
    void aBodyOfManyBlocksIsOneJsonValueWithItsExactLength() throws IOException {
        // 500 devices with 4,000-character hashes: about 2 MB, some 32 blocks of 64 KB.
        JsonBody body = JsonBody.of(WRITER, new ImportRequest(devices(500)));

        byte[] written = bytesOf(body);

        assertThat(written.length).isGreaterThan(10 * 64 * 1024);
        assertThat(body.getContentLength()).isEqualTo(written.length);
        assertThat(GRAPH_READER.readTree(written).path("importedWindowsAutopilotDeviceIdentities")).hasSize(500);
        try (InputStream content = body.getContent()) {
            assertThat(content.readAllBytes()).isEqualTo(written);
        }
    }

    private static String graphDevice(int i) {
        return "{\"@odata.type\": \"#microsoft.graph.importedWindowsAutopilotDeviceIdentity\", \"serialNumber\": \"SERIAL-" + i
                + "\", \"hardwareIdentifier\": \"T0F" + "x".repeat(3997) + "\", \"groupTag\": \"Tag\", \"importId\": \"apb-1-1-abc\"}";
    }

    private static byte[] bytesOf(JsonBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return out.toByteArray();
    }

    private static List<ImportedDeviceIdentity> devices(int count) {
        List<ImportedDeviceIdentity> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(ImportedDeviceIdentity.toImport("SERIAL-" + i, HardwareHash.of("T0F" + "x".repeat(3997)), null, "Tag",
                    null, "apb-1-1-abc"));
        }
        return devices;
    }
}
