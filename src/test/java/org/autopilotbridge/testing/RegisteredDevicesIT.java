package org.autopilotbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.autopilotbridge.testing.StandInClient.COLLECTION;
import static org.autopilotbridge.testing.StandInClient.JSON;
import static org.autopilotbridge.testing.StandInClient.REGISTERED;
import static org.autopilotbridge.testing.StandInClient.device;
import static org.autopilotbridge.testing.StandInClient.error;
import static org.autopilotbridge.testing.StandInClient.query;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's registered devices are as strict as Graph's: found by {@code contains} on the serial number, listed
 * in pages, changed only through the documented parameters of updateDeviceProperties, and registered when an import
 * completes.
 */
class RegisteredDevicesIT {

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
                "{\"groupTag\":\"New\",\"userPrincipalName\":\"ana@contoso.com\"}");
        HttpResponse<String> unknown = client.post(REGISTERED + "/" + id + "/updateDeviceProperties", "{\"orderIdentifier\":\"X\"}");
        HttpResponse<String> wrongType = client.post(REGISTERED + "/" + id + "/updateDeviceProperties", "{\"groupTag\":7}");
        HttpResponse<String> missing = client.post(REGISTERED + "/no-such-device/updateDeviceProperties", "{\"groupTag\":\"New\"}");

        assertThat(updated.statusCode()).isEqualTo(204);
        assertThat(updated.body()).isEmpty();
        assertThat(GRAPH.devices().bySerial("REG-UPD-1").path("groupTag").asText()).isEqualTo("New");
        assertThat(GRAPH.devices().bySerial("REG-UPD-1").path("userPrincipalName").asText()).isEqualTo("ana@contoso.com");
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
