package org.autopilotbridge.testing;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** A multipart/form-data body with one file (and any plain fields), as curl -F and a browser's FormData send it. */
public record Multipart(String contentType, byte[] body) {

    public static Multipart file(String field, String fileName, byte[] content) {
        return file(field, fileName, content, Map.of());
    }

    /** The same with plain form fields before the file, as a form's other inputs (curl -F name=value). */
    public static Multipart file(String field, String fileName, byte[] content, Map<String, String> fields) {
        String boundary = "----autopilot-test-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Multipart("multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    public HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.ofByteArray(body);
    }
}
