package org.autopilotbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.autopilotbridge.testing.ProfileAssignments.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in shows deployment profiles as Graph does: only in beta, the navigation properties only when $expand
 * names them, and any other $expand refused as malformed (v1.0 has no navigation property on this entity at all).
 */
class ProfileAssignmentsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GraphStandIn GRAPH = new GraphStandIn("profile-strict-secret");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String REGISTERED = "/deviceManagement/windowsAutopilotDeviceIdentities/";
    private static String token;

    @BeforeAll
    static void signIn() throws Exception {
        token = StandInClient.signIn(GRAPH, "profile-strict-secret");
    }

    @AfterAll
    static void stop() {
        // These tests send what Graph would not read on purpose.
        GRAPH.expectMalformedRequests();
        GRAPH.close();
    }

    @Test
    void showsTheProfileInBetaOnlyAndExpandsWhatIsNamed() throws Exception {
        String id = GRAPH.devices().register("PA-1", "", "");
        GRAPH.profiles().mode("PA-1", Mode.assignedAfter(Duration.ZERO, "Contoso user-driven"));
        int refusedBefore = GRAPH.refusals();

        JsonNode v1 = JSON.readTree(get(GRAPH.graphUrl() + REGISTERED + id).body());
        assertThat(v1.has("deploymentProfileAssignmentStatus")).as("v1.0 has no such property").isFalse();
        HttpResponse<String> beta = get(GRAPH.baseUrl() + "/beta" + REGISTERED + id + "?$expand=deploymentProfile");
        JsonNode device = JSON.readTree(beta.body());
        assertThat(device.path("deploymentProfileAssignmentStatus").asText()).isEqualTo("assignedInSync");
        assertThat(device.path("deploymentProfile").path("displayName").asText()).isEqualTo("Contoso user-driven");
        assertThat(device.has("intendedDeploymentProfile")).as("not expanded").isFalse();
        assertThat(GRAPH.refusals()).isEqualTo(refusedBefore);
    }

    @Test
    void modelsPendingFailedAndNeverAssigned() throws Exception {
        GRAPH.profiles().mode("PA-P", Mode.pending("Kiosk"));
        GRAPH.profiles().mode("PA-F", Mode.failed("surfaceHubProfileNotSupported", "Hub"));
        String expand = "?$expand=deploymentProfile,intendedDeploymentProfile";

        JsonNode pending = JSON.readTree(get(GRAPH.baseUrl() + "/beta" + REGISTERED + GRAPH.devices().register("PA-P", "", "") + expand).body());
        JsonNode failed = JSON.readTree(get(GRAPH.baseUrl() + "/beta" + REGISTERED + GRAPH.devices().register("PA-F", "", "") + expand).body());
        JsonNode never = JSON.readTree(get(GRAPH.baseUrl() + "/beta" + REGISTERED + GRAPH.devices().register("PA-N", "", "") + expand).body());

        assertThat(pending.path("deploymentProfileAssignmentStatus").asText()).isEqualTo("pending");
        assertThat(pending.path("deploymentProfile").isNull()).isTrue();
        assertThat(pending.path("intendedDeploymentProfile").path("displayName").asText()).isEqualTo("Kiosk");
        assertThat(failed.path("deploymentProfileAssignmentStatus").asText()).isEqualTo("failed");
        assertThat(failed.path("deploymentProfileAssignmentDetailedStatus").asText()).isEqualTo("surfaceHubProfileNotSupported");
        assertThat(never.path("deploymentProfileAssignmentStatus").asText()).isEqualTo("notAssigned");
        assertThat(never.path("intendedDeploymentProfile").isNull()).isTrue();
    }

    @Test
    void refusesAnExpandGraphWouldNotTakeAsMalformed() throws Exception {
        String id = GRAPH.devices().register("PA-X", "", "");
        int before = GRAPH.refusals();

        HttpResponse<String> unknown = get(GRAPH.baseUrl() + "/beta" + REGISTERED + id + "?$expand=assignedProfile");
        HttpResponse<String> inV1 = get(GRAPH.graphUrl() + REGISTERED + id + "?$expand=deploymentProfile");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("error").path("message").asText())
                .isEqualTo("Could not find a property named 'assignedProfile' on type 'microsoft.graph.windowsAutopilotDeviceIdentity'.");
        assertThat(inV1.statusCode()).as("v1.0 has no navigation property here").isEqualTo(400);
        assertThat(GRAPH.refusals() - before).isEqualTo(2);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
