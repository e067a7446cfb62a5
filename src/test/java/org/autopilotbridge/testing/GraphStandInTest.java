package org.autopilotbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in refuses what Graph refuses, so that every test against it also proves the service sends what Graph
 * can read: the review that found every import body followed by a copy of its tail was possible only because the
 * stand-in parsed leniently.
 */
class GraphStandInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GraphStandIn GRAPH = new GraphStandIn("strict-secret");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String IMPORT = "/deviceManagement/importedWindowsAutopilotDeviceIdentities/import";
    private static String token;

    @BeforeAll
    static void signIn() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + GraphStandIn.CLIENT_ID
                + "&client_secret=strict-secret&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(GRAPH.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(answer.body()).path("access_token").asText();
    }

    @AfterAll
    static void stop() {
        GRAPH.close();
    }

    private static String device(String serial) {
        return "{\"@odata.type\":\"#microsoft.graph.importedWindowsAutopilotDeviceIdentity\",\"serialNumber\":\"" + serial
                + "\",\"hardwareIdentifier\":\"" + HashFiles.hash(new Random(1)) + "\",\"importId\":\"t-1\"}";
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(GRAPH.graphUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body()).path("error");
    }

    @Test
    void acceptsOneJsonValueWithItsLength() throws Exception {
        HttpResponse<String> answer = post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("OK-1") + "]}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("value")).hasSize(1);
    }

    @Test
    void refusesAnythingAfterTheJsonValueAsGraphsReaderDoes() throws Exception {
        String body = "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("TWICE-1") + "]}";

        HttpResponse<String> answer = post(IMPORT, body + body.substring(body.length() / 2));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(error(answer).path("code").asText()).isEqualTo("BadRequest");
        assertThat(error(answer).path("message").asText()).startsWith("Unable to read JSON request payload");
        assertThat(error(answer).path("innerError").path("request-id").asText()).isNotBlank();
        assertThat(GRAPH.registrations("TWICE-1")).isZero();
    }

    @Test
    void refusesChunkedBodiesWith411() throws Exception {
        byte[] body = ("{\"importedWindowsAutopilotDeviceIdentities\":[" + device("CHUNK-1") + "]}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(GRAPH.graphUrl() + IMPORT))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(411);
        assertThat(GRAPH.registrations("CHUNK-1")).isZero();
    }

    @Test
    void refusesAPostWithoutContentLength() throws Exception {
        String status = raw("POST /v1.0/deviceManagement/windowsAutopilotSettings/sync HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");

        assertThat(status).startsWith("HTTP/1.1 411");
    }

    @Test
    void refusesUnknownPropertiesAndWrongTypesWithGraphsErrorShape() throws Exception {
        HttpResponse<String> unknown = post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":["
                + device("UNK-1").replace("{", "{\"deviceName\":\"PC-1\",") + "]}");
        HttpResponse<String> wrongType = post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":["
                + device("TYPE-1").replace("\"importId\":\"t-1\"", "\"importId\":17") + "]}");
        HttpResponse<String> wrongParameter = post(IMPORT, "{\"devices\":[" + device("PARAM-1") + "]}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown).path("message").asText()).contains("'deviceName' does not exist");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(error(wrongType).path("message").asText()).contains("importId");
        assertThat(wrongParameter.statusCode()).isEqualTo(400);
    }

    @Test
    void refusesABatchOfMoreThanTwentyRequests() throws Exception {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            requests.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i)
                    .append("\",\"method\":\"DELETE\",\"url\":\"/deviceManagement/importedWindowsAutopilotDeviceIdentities/x").append(i).append("\"}");
        }

        HttpResponse<String> answer = post("/$batch", "{\"requests\":[" + requests + "]}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(error(answer).path("message").asText()).contains("20");
    }

    @Test
    void givesASingleCreateItsOwnIdAsImportId() throws Exception {
        HttpResponse<String> answer = post("/deviceManagement/importedWindowsAutopilotDeviceIdentities", device("ONE-1"));

        JsonNode created = JSON.readTree(answer.body());
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(created.path("importId").asText()).isEqualTo(created.path("id").asText());
        assertThat(created.path("state").path("deviceImportStatus").asText()).isEqualTo("unknown");
    }

    /** A request written by hand, for what no HTTP client would send; returns the status line. */
    private static String raw(String request) throws IOException {
        URI base = URI.create(GRAPH.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }
}
