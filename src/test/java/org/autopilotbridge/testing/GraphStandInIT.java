package org.autopilotbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stand-in refuses what Graph refuses, so that every test against it also proves the service sends what Graph
 * can read: the review that found every import body followed by a copy of its tail was possible only because the
 * stand-in parsed leniently.
 */
class GraphStandInIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GraphStandIn GRAPH = new GraphStandIn("strict-secret");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String COLLECTION = "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
    private static final String IMPORT = COLLECTION + "/import";
    private static final String REGISTERED = "/deviceManagement/windowsAutopilotDeviceIdentities";
    private static String token;

    @BeforeAll
    static void signIn() throws Exception {
        token = signIn(GRAPH, "strict-secret");
    }

    @AfterAll
    static void stop() {
        // These tests send what Graph would not read on purpose.
        GRAPH.expectMalformedRequests();
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
        assertThat(error(answer).path("code").asText()).isEqualTo("LengthRequired");
        assertThat(error(answer).path("innerError").path("request-id").asText()).isNotBlank();
        assertThat(GRAPH.registrations("CHUNK-1")).isZero();
    }

    @Test
    void refusesABodyShorterThanItsContentLength() throws Exception {
        String body = "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("SHORT-1") + "]}";

        String status = raw("POST /v1.0" + IMPORT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (body.length() + 100) + "\r\nConnection: close\r\n\r\n"
                + body);

        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(GRAPH.registrations("SHORT-1")).isZero();
    }

    @Test
    void failsTheTestThatUsedItWhenTheServiceSentARequestGraphWouldNotRead() throws Exception {
        GraphStandIn graph = new GraphStandIn("closing-secret");
        HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(graph.graphUrl() + IMPORT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(chunked.statusCode()).isEqualTo(411);
        assertThatThrownBy(graph::close).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("1 request(s) Graph would not have read, the first: POST /v1.0" + IMPORT + ": 411");
    }

    /**
     * A request no Graph would read, at each endpoint the service calls: {@code path} from the server's root (so a URL
     * outside the version root can be sent), its body (null for none) and the status Graph answers.
     */
    static Stream<Arguments> requestsNoGraphWouldRead() {
        String select = "$select=";
        return Stream.of(
                Arguments.of("import, a parameter the action does not have", "POST", "/v1.0" + IMPORT,
                        "{\"devices\":[" + device("M-IMP-1") + "]}", 400),
                Arguments.of("import, a device property Graph does not have", "POST", "/v1.0" + IMPORT,
                        "{\"importedWindowsAutopilotDeviceIdentities\":["
                                + device("M-IMP-2").replace("{", "{\"deviceName\":\"PC-1\",") + "]}", 400),
                Arguments.of("create, a property of the wrong type", "POST", "/v1.0" + COLLECTION,
                        device("M-NEW-1").replace("\"importId\":\"t-1\"", "\"importId\":17"), 400),
                Arguments.of("list staged, an unknown $select name", "GET", "/v1.0" + COLLECTION + "?" + select + "id,deviceName",
                        null, 400),
                Arguments.of("list staged, a filter on anything but importId", "GET",
                        "/v1.0" + COLLECTION + "?$filter=" + query("serialNumber eq 'M-1'"), null, 400),
                Arguments.of("read staged, an unknown $select name", "GET", "/v1.0" + COLLECTION + "/some-id?" + select + "hash",
                        null, 400),
                Arguments.of("delete staged, a URL below a record", "DELETE", "/v1.0" + COLLECTION + "/some-id/state", null, 400),
                Arguments.of("registered list, serialNumber eq", "GET",
                        "/v1.0" + REGISTERED + "?$filter=" + query("serialNumber eq 'M-REG-1'"), null, 400),
                Arguments.of("updateDeviceProperties, a parameter it does not have", "POST",
                        "/v1.0" + REGISTERED + "/some-id/updateDeviceProperties", "{\"orderIdentifier\":\"X\"}", 400),
                Arguments.of("updateDeviceProperties, a parameter of the wrong type", "POST",
                        "/v1.0" + REGISTERED + "/some-id/updateDeviceProperties", "{\"groupTag\":7}", 400),
                Arguments.of("$batch, a request inside it at an unknown URL", "POST", "/v1.0/$batch",
                        "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/deviceManagement/nothing\"}]}", 200),
                Arguments.of("$batch, a registered-device filter Graph refuses inside it", "POST", "/v1.0/$batch",
                        "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"" + REGISTERED + "?$filter="
                                + query("serialNumber eq 'M-REG-2'") + "\"}]}", 200),
                Arguments.of("sync, with parameters", "POST", "/v1.0/deviceManagement/windowsAutopilotSettings/sync",
                        "{\"force\":true}", 400),
                Arguments.of("list staged, a $top that is not a number", "GET", "/v1.0" + COLLECTION + "?$top=ten", null, 400),
                Arguments.of("list staged, a $skiptoken Graph did not give", "GET", "/v1.0" + COLLECTION + "?$skiptoken=abc",
                        null, 400),
                Arguments.of("registered list, a $skiptoken Graph did not give", "GET", "/v1.0" + REGISTERED + "?$skiptoken=x",
                        null, 400),
                Arguments.of("an unknown URL under the version root", "GET", "/v1.0/deviceManagement/nothing", null, 400),
                Arguments.of("a URL outside the version root", "GET", "/v2.0" + COLLECTION, null, 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsNoGraphWouldRead")
    void recordsARequestNoGraphWouldReadAtEveryEndpointAndFailsTheTestThatSentIt(String what, String method, String path,
            String body, int status) throws Exception {
        GraphStandIn graph = new GraphStandIn("closing-secret");
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(HttpRequest.newBuilder(URI.create(graph.baseUrl() + path))
                    .header("Authorization", "Bearer " + signIn(graph, "closing-secret"))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException | IOException e) {
            graph.expectMalformedRequests();
            graph.close();
            throw e;
        }

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThatThrownBy(graph::close).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("1 request(s) Graph would not have read, the first: " + method + " "
                        + path.replaceFirst("\\?.*", ""));
    }

    /** A token from {@code graph}'s token endpoint, asked for as the service asks: its Graph's .default scope. */
    static String signIn(GraphStandIn graph, String secret) throws Exception {
        HttpResponse<String> answer = askForToken(graph, secret, graph.baseUrl() + "/.default",
                "application/x-www-form-urlencoded");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    private static HttpResponse<String> askForToken(GraphStandIn graph, String secret, String scope, String contentType)
            throws Exception {
        String form = "grant_type=client_credentials&client_id=" + GraphStandIn.CLIENT_ID + "&client_secret=" + secret
                + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(graph.tokenUrl())).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Entra ID issues a token for exactly the .default scope of the Graph in use (scheme and host: a token for
     * graph.microsoft.com is no use against graph.microsoft.us) and reads the form only as a form.
     */
    static Stream<Arguments> tokenRequestsEntraRefuses() {
        return Stream.of(
                Arguments.of("another cloud's scope", "https://graph.microsoft.com/.default",
                        "application/x-www-form-urlencoded", "invalid_scope", "AADSTS70011"),
                Arguments.of("the scope without its scheme", "127.0.0.1/.default",
                        "application/x-www-form-urlencoded", "invalid_scope", "AADSTS70011"),
                Arguments.of("a permission instead of .default", null, "application/x-www-form-urlencoded; charset=UTF-8",
                        "invalid_scope", "AADSTS70011"),
                Arguments.of("the form sent as JSON", null, "application/json", "invalid_request", "AADSTS900144"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenRequestsEntraRefuses")
    void refusesATokenRequestEntraWouldNotTakeAsEntraDoesAndFailsTheTestThatSentIt(String what, String scope,
            String contentType, String error, String code) throws Exception {
        GraphStandIn graph = new GraphStandIn("closing-secret");
        String asked = scope != null ? scope : contentType.startsWith("application/json") ? graph.baseUrl() + "/.default"
                : graph.baseUrl() + "/DeviceManagementServiceConfig.ReadWrite.All";

        HttpResponse<String> answer = askForToken(graph, "closing-secret", asked, contentType);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("error").asText()).isEqualTo(error);
        assertThat(JSON.readTree(answer.body()).path("error_description").asText()).startsWith(code + ": ");
        assertThat(graph.tokenRequests()).isEqualTo(1);
        assertThatThrownBy(graph::close).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("1 request(s) Graph would not have read, the first: POST /" + GraphStandIn.TENANT
                        + "/oauth2/v2.0/token: 400 " + code);
    }

    @Test
    void answersTheRequestsOfABatchInAnotherOrderThanTheirsAsGraphMay() throws Exception {
        String first = GRAPH.registerDevice("REG-ORDER-1", "", "");
        String second = GRAPH.registerDevice("REG-ORDER-2", "", "");
        String third = GRAPH.registerDevice("REG-ORDER-3", "", "");
        String requests = "{\"requests\":[" + read("a", first) + "," + read("b", second) + "," + read("c", third) + "]}";

        JsonNode responses = JSON.readTree(post("/$batch", requests).body()).path("responses");

        assertThat(responses).extracting(r -> r.path("id").asText()).containsExactly("c", "b", "a");
        assertThat(responses).extracting(r -> r.path("body").path("id").asText()).containsExactly(third, second, first);
    }

    private static String read(String id, String device) {
        return "{\"id\":\"" + id + "\",\"method\":\"GET\",\"url\":\"" + REGISTERED + "/" + device + "\"}";
    }

    @Test
    void refusesABodyLongerThanItsContentLengthAndFailsTheTestThatSentIt() throws Exception {
        GraphStandIn graph = new GraphStandIn("closing-secret");
        String body = "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("LONG-1") + "]}";

        // One JSON value of exactly Content-Length bytes, then more: what a body written twice looks like.
        String status = raw(graph, "POST /v1.0" + IMPORT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + signIn(graph, "closing-secret") + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body + body.substring(body.length() / 2));

        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(graph.registrations("LONG-1")).isZero();
        assertThatThrownBy(graph::close).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("1 request(s) Graph would not have read, the first: POST /v1.0" + IMPORT + ": 400 "
                        + "The body is longer than its Content-Length");
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

        assertThat(List.of(unknown, wrongType, wrongParameter)).allSatisfy(answer -> {
            assertThat(error(answer).path("code").asText()).isEqualTo("BadRequest");
            assertThat(error(answer).path("innerError").path("request-id").asText()).isNotBlank();
            assertThat(error(answer).path("innerError").path("date").asText()).isNotBlank();
        });
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
        assertThat(error(answer).path("code").asText()).isEqualTo("BadRequest");
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

    @Test
    void findsRegisteredDevicesByContainsOnSerialNumberAndRefusesEqAsGraphDoes() throws Exception {
        GRAPH.registerDevice("REG-CONT-1", "Sales", "ana@contoso.com");
        GRAPH.registerDevice("REG-CONT-10", "", "");

        HttpResponse<String> contains = get(REGISTERED + "?$filter=" + query("contains(serialNumber,'reg-cont-1')"));
        HttpResponse<String> eq = get(REGISTERED + "?$filter=" + query("serialNumber eq 'REG-CONT-1'"));

        assertThat(contains.statusCode()).isEqualTo(200);
        JsonNode found = JSON.readTree(contains.body()).path("value");
        assertThat(found).extracting(d -> d.path("serialNumber").asText()).containsExactly("REG-CONT-1", "REG-CONT-10");
        assertThat(found.get(0).path("@odata.type").asText()).isEqualTo("#microsoft.graph.windowsAutopilotDeviceIdentity");
        assertThat(found.get(0).path("groupTag").asText()).isEqualTo("Sales");
        assertThat(found.get(0).path("userPrincipalName").asText()).isEqualTo("ana@contoso.com");
        assertThat(found.get(0).has("enrollmentState")).isTrue();
        assertThat(eq.statusCode()).isEqualTo(400);
        assertThat(error(eq).path("message").asText()).contains("Invalid filter clause");
    }

    @Test
    void pagesTheRegisteredDevicesWithNextLinks() throws Exception {
        GRAPH.registeredPageSize(2);
        try {
            for (int i = 1; i <= 5; i++) {
                GRAPH.registerDevice("REG-PAGE-" + i, "", "");
            }
            JsonNode page = JSON.readTree(get(REGISTERED + "?$filter=" + query("contains(serialNumber,'REG-PAGE-')")).body());
            int devices = page.path("value").size();
            while (page.has("@odata.nextLink")) {
                page = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(page.path("@odata.nextLink").asText()))
                        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
                devices += page.path("value").size();
            }

            assertThat(devices).isEqualTo(5);
        } finally {
            GRAPH.registeredPageSize(1000);
        }
    }

    @Test
    void updatesDevicePropertiesWithOnlyTheDocumentedParameters() throws Exception {
        String id = GRAPH.registerDevice("REG-UPD-1", "Old", "");

        HttpResponse<String> updated = post(REGISTERED + "/" + id + "/updateDeviceProperties",
                "{\"groupTag\":\"New\",\"userPrincipalName\":\"ana@contoso.com\"}");
        HttpResponse<String> unknown = post(REGISTERED + "/" + id + "/updateDeviceProperties", "{\"orderIdentifier\":\"X\"}");
        HttpResponse<String> wrongType = post(REGISTERED + "/" + id + "/updateDeviceProperties", "{\"groupTag\":7}");
        HttpResponse<String> missing = post(REGISTERED + "/no-such-device/updateDeviceProperties", "{\"groupTag\":\"New\"}");

        assertThat(updated.statusCode()).isEqualTo(204);
        assertThat(updated.body()).isEmpty();
        assertThat(GRAPH.registeredDevice("REG-UPD-1").path("groupTag").asText()).isEqualTo("New");
        assertThat(GRAPH.registeredDevice("REG-UPD-1").path("userPrincipalName").asText()).isEqualTo("ana@contoso.com");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown).path("message").asText()).contains("'orderIdentifier'").contains("not a valid parameter");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(GRAPH.propertyUpdates("REG-UPD-1")).isEqualTo(1);
    }

    @Test
    void registersADeviceWhoseImportCompletesUnderItsDeviceRegistrationIdAndAnswers806ForItThen() throws Exception {
        JsonNode first = JSON.readTree(post(COLLECTION, device("REG-IMP-1")).body());
        JsonNode registered = JSON.readTree(poll(first.path("id").asText()).body()).path("state");
        JsonNode second = JSON.readTree(post(COLLECTION, device("REG-IMP-1")).body());
        JsonNode again = JSON.readTree(poll(second.path("id").asText()).body()).path("state");

        assertThat(registered.path("deviceImportStatus").asText()).isEqualTo("complete");
        assertThat(registered.path("deviceRegistrationId").asText())
                .isEqualTo(GRAPH.registeredDevice("REG-IMP-1").path("id").asText());
        assertThat(get(REGISTERED + "/" + registered.path("deviceRegistrationId").asText()).statusCode()).isEqualTo(200);
        assertThat(again.path("deviceImportStatus").asText()).isEqualTo("error");
        assertThat(again.path("deviceErrorCode").asInt()).isEqualTo(806);
    }

    /** Reads a staged record until it is final (each read moves it one step). */
    private static HttpResponse<String> poll(String id) throws Exception {
        HttpResponse<String> answer;
        do {
            answer = get(COLLECTION + "/" + id);
        } while (JSON.readTree(answer.body()).path("state").path("deviceImportStatus").asText().matches("unknown|pending"));
        return answer;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(GRAPH.graphUrl() + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String query(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A request written by hand, for what no HTTP client would send; returns the status line. */
    private static String raw(String request) throws IOException {
        return raw(GRAPH, request);
    }

    private static String raw(GraphStandIn graph, String request) throws IOException {
        URI base = URI.create(graph.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Nothing more comes: a body shorter than its Content-Length ends here.
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }
}
