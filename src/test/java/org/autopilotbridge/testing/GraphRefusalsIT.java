package org.autopilotbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.autopilotbridge.testing.StandInClient.COLLECTION;
import static org.autopilotbridge.testing.StandInClient.HTTP;
import static org.autopilotbridge.testing.StandInClient.IMPORT;
import static org.autopilotbridge.testing.StandInClient.JSON;
import static org.autopilotbridge.testing.StandInClient.REGISTERED;
import static org.autopilotbridge.testing.StandInClient.askForToken;
import static org.autopilotbridge.testing.StandInClient.device;
import static org.autopilotbridge.testing.StandInClient.query;
import static org.autopilotbridge.testing.StandInClient.signIn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A request Graph (or Entra ID) would not read fails the test class that sent it when the stand-in closes, whatever
 * the test's own assertions found: each test here uses a stand-in of its own and expects its close to fail.
 */
class GraphRefusalsIT {



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
                Arguments.of("updateDeviceProperties, a displayName that is not a string", "POST",
                        "/v1.0" + REGISTERED + "/some-id/updateDeviceProperties", "{\"displayName\":[\"PC-1\"]}", 400),
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
        assertThat(graph.tokens().requests()).isEqualTo(1);
        assertThatThrownBy(graph::close).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("1 request(s) Graph would not have read, the first: POST /" + GraphStandIn.TENANT
                        + "/oauth2/v2.0/token: 400 " + code);
    }

    @Test
    void refusesABodyLongerThanItsContentLengthAndFailsTheTestThatSentIt() throws Exception {
        GraphStandIn graph = new GraphStandIn("closing-secret");
        String body = "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("LONG-1") + "]}";
        StandInClient client = new StandInClient(graph, "closing-secret");

        // One JSON value of exactly Content-Length bytes, then more: what a body written twice looks like.
        String status = client.raw("POST /v1.0" + IMPORT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + client.token() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body + body.substring(body.length() / 2));

        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(graph.imports().registrations("LONG-1")).isZero();
        assertThatThrownBy(graph::close).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("1 request(s) Graph would not have read, the first: POST /v1.0" + IMPORT + ": 400 "
                        + "The body is longer than its Content-Length");
    }
}
