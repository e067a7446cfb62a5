package org.autopilotbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.autopilotbridge.testing.StandInClient.COLLECTION;
import static org.autopilotbridge.testing.StandInClient.HTTP;
import static org.autopilotbridge.testing.StandInClient.IMPORT;
import static org.autopilotbridge.testing.StandInClient.JSON;
import static org.autopilotbridge.testing.StandInClient.REGISTERED;
import static org.autopilotbridge.testing.StandInClient.device;
import static org.autopilotbridge.testing.StandInClient.error;
import static org.autopilotbridge.testing.StandInClient.query;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in reads requests as Graph's OData reader reads them, so that every test against it also proves the
 * service sends what Graph can read: the review that found every import body followed by a copy of its tail was
 * possible only because the stand-in parsed leniently. Its registered devices are as strict: found by {@code contains}
 * on the serial number, listed in pages, changed only through the documented parameters of updateDeviceProperties,
 * and registered when an import completes. Its refusals fail the test that sent them ({@link GraphRefusalsIT}).
 */
class GraphStandInIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("strict-secret");
    private static StandInClient client;

    @BeforeAll
    static void signIn() throws Exception {
        client = new StandInClient(GRAPH, "strict-secret");
    }

    @AfterAll
    static void stop() {
        // These tests send what Graph would not read on purpose.
        GRAPH.expectMalformedRequests();
        GRAPH.close();
    }

    @Test
    void acceptsOneJsonValueWithItsLength() throws Exception {
        HttpResponse<String> answer = client.post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("OK-1") + "]}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("value")).hasSize(1);
    }

    @Test
    void refusesAnythingAfterTheJsonValueAsGraphsReaderDoes() throws Exception {
        String body = "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("TWICE-1") + "]}";

        HttpResponse<String> answer = client.post(IMPORT, body + body.substring(body.length() / 2));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(error(answer).path("code").asText()).isEqualTo("BadRequest");
        assertThat(error(answer).path("message").asText()).startsWith("Unable to read JSON request payload");
        assertThat(error(answer).path("innerError").path("request-id").asText()).isNotBlank();
        assertThat(GRAPH.imports().registrations("TWICE-1")).isZero();
    }

    @Test
    void refusesChunkedBodiesWith411() throws Exception {
        byte[] body = ("{\"importedWindowsAutopilotDeviceIdentities\":[" + device("CHUNK-1") + "]}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(GRAPH.graphUrl() + IMPORT))
                .header("Authorization", "Bearer " + client.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(411);
        assertThat(error(answer).path("code").asText()).isEqualTo("LengthRequired");
        assertThat(error(answer).path("innerError").path("request-id").asText()).isNotBlank();
        assertThat(GRAPH.imports().registrations("CHUNK-1")).isZero();
    }

    @Test
    void refusesABodyShorterThanItsContentLength() throws Exception {
        String body = "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("SHORT-1") + "]}";

        String status = client.raw("POST /v1.0" + IMPORT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + client.token()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (body.length() + 100) + "\r\nConnection: close\r\n\r\n"
                + body);

        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(GRAPH.imports().registrations("SHORT-1")).isZero();
    }

    @Test
    void refusesAPostWithoutContentLength() throws Exception {
        String status = client.raw("POST /v1.0/deviceManagement/windowsAutopilotSettings/sync HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + client.token() + "\r\nConnection: close\r\n\r\n");

        assertThat(status).startsWith("HTTP/1.1 411");
    }

    @Test
    void refusesUnknownPropertiesAndWrongTypesWithGraphsErrorShape() throws Exception {
        HttpResponse<String> unknown = client.post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":["
                + device("UNK-1").replace("{", "{\"deviceName\":\"PC-1\",") + "]}");
        HttpResponse<String> wrongType = client.post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":["
                + device("TYPE-1").replace("\"importId\":\"t-1\"", "\"importId\":17") + "]}");
        HttpResponse<String> wrongParameter = client.post(IMPORT, "{\"devices\":[" + device("PARAM-1") + "]}");

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

        HttpResponse<String> answer = client.post("/$batch", "{\"requests\":[" + requests + "]}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(error(answer).path("code").asText()).isEqualTo("BadRequest");
        assertThat(error(answer).path("message").asText()).contains("20");
    }

    @Test
    void answersTheRequestsOfABatchInAnotherOrderThanTheirsAsGraphMay() throws Exception {
        String first = GRAPH.devices().register("REG-ORDER-1", "", "");
        String second = GRAPH.devices().register("REG-ORDER-2", "", "");
        String third = GRAPH.devices().register("REG-ORDER-3", "", "");
        String requests = "{\"requests\":[" + read("a", first) + "," + read("b", second) + "," + read("c", third) + "]}";

        JsonNode responses = JSON.readTree(client.post("/$batch", requests).body()).path("responses");

        assertThat(responses).extracting(r -> r.path("id").asText()).containsExactly("c", "b", "a");
        assertThat(responses).extracting(r -> r.path("body").path("id").asText()).containsExactly(third, second, first);
    }

    private static String read(String id, String device) {
        return "{\"id\":\"" + id + "\",\"method\":\"GET\",\"url\":\"" + REGISTERED + "/" + device + "\"}";
    }

    @Test
    void givesASingleCreateItsOwnIdAsImportId() throws Exception {
        HttpResponse<String> answer = client.post("/deviceManagement/importedWindowsAutopilotDeviceIdentities", device("ONE-1"));

        JsonNode created = JSON.readTree(answer.body());
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(created.path("importId").asText()).isEqualTo(created.path("id").asText());
        assertThat(created.path("state").path("deviceImportStatus").asText()).isEqualTo("unknown");
    }

    @Test
    void findsRegisteredDevicesByContainsOnSerialNumberAndRefusesEqAsGraphDoes() throws Exception {
        GRAPH.devices().register("REG-CONT-1", "Sales", "ana@contoso.com");
        GRAPH.devices().register("REG-CONT-10", "", "");

        HttpResponse<String> contains = client.get(REGISTERED + "?$filter=" + query("contains(serialNumber,'reg-cont-1')"));
        HttpResponse<String> eq = client.get(REGISTERED + "?$filter=" + query("serialNumber eq 'REG-CONT-1'"));

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
        GRAPH.devices().pageSize(2);
        try {
            for (int i = 1; i <= 5; i++) {
                GRAPH.devices().register("REG-PAGE-" + i, "", "");
            }
            JsonNode page = JSON.readTree(client.get(REGISTERED + "?$filter=" + query("contains(serialNumber,'REG-PAGE-')")).body());
            int devices = page.path("value").size();
            while (page.has("@odata.nextLink")) {
                page = JSON.readTree(client.follow(page.path("@odata.nextLink").asText()).body());
                devices += page.path("value").size();
            }

            assertThat(devices).isEqualTo(5);
        } finally {
            GRAPH.devices().pageSize(1000);
        }
    }

    @Test
    void updatesDevicePropertiesWithOnlyTheDocumentedParameters() throws Exception {
        String id = GRAPH.devices().register("REG-UPD-1", "Old", "");

        HttpResponse<String> updated = client.post(REGISTERED + "/" + id + "/updateDeviceProperties",
                "{\"groupTag\":\"New\",\"userPrincipalName\":\"ana@contoso.com\",\"displayName\":\"PC-0001\"}");
        HttpResponse<String> unknown = client.post(REGISTERED + "/" + id + "/updateDeviceProperties", "{\"orderIdentifier\":\"X\"}");
        HttpResponse<String> wrongType = client.post(REGISTERED + "/" + id + "/updateDeviceProperties", "{\"groupTag\":7}");
        HttpResponse<String> missing = client.post(REGISTERED + "/no-such-device/updateDeviceProperties", "{\"groupTag\":\"New\"}");

        assertThat(updated.statusCode()).isEqualTo(204);
        assertThat(updated.body()).isEmpty();
        assertThat(GRAPH.devices().bySerial("REG-UPD-1").path("groupTag").asText()).isEqualTo("New");
        assertThat(GRAPH.devices().bySerial("REG-UPD-1").path("userPrincipalName").asText()).isEqualTo("ana@contoso.com");
        assertThat(GRAPH.devices().bySerial("REG-UPD-1").path("displayName").asText()).isEqualTo("PC-0001");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown).path("message").asText()).contains("'orderIdentifier'").contains("not a valid parameter");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(GRAPH.devices().updates("REG-UPD-1")).isEqualTo(1);
    }

    @Test
    void registersADeviceWhoseImportCompletesUnderItsDeviceRegistrationIdAndAnswers806ForItThen() throws Exception {
        JsonNode first = JSON.readTree(client.post(COLLECTION, device("REG-IMP-1")).body());
        JsonNode registered = JSON.readTree(poll(first.path("id").asText()).body()).path("state");
        JsonNode second = JSON.readTree(client.post(COLLECTION, device("REG-IMP-1")).body());
        JsonNode again = JSON.readTree(poll(second.path("id").asText()).body()).path("state");

        assertThat(registered.path("deviceImportStatus").asText()).isEqualTo("complete");
        assertThat(registered.path("deviceRegistrationId").asText())
                .isEqualTo(GRAPH.devices().bySerial("REG-IMP-1").path("id").asText());
        assertThat(client.get(REGISTERED + "/" + registered.path("deviceRegistrationId").asText()).statusCode()).isEqualTo(200);
        assertThat(again.path("deviceImportStatus").asText()).isEqualTo("error");
        assertThat(again.path("deviceErrorCode").asInt()).isEqualTo(806);
    }

    /** Reads a staged record until it is final (each read moves it one step). */
    private static HttpResponse<String> poll(String id) throws Exception {
        HttpResponse<String> answer;
        do {
            answer = client.get(COLLECTION + "/" + id);
        } while (JSON.readTree(answer.body()).path("state").path("deviceImportStatus").asText().matches("unknown|pending"));
        return answer;
    }
}
