package org.autopilotbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.autopilotbridge.testing.StandInClient.COLLECTION;
import static org.autopilotbridge.testing.StandInClient.IMPORT;
import static org.autopilotbridge.testing.StandInClient.JSON;
import static org.autopilotbridge.testing.StandInClient.REGISTERED;
import static org.autopilotbridge.testing.StandInClient.askForToken;
import static org.autopilotbridge.testing.StandInClient.device;
import static org.autopilotbridge.testing.StandInClient.query;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in serves several Entra tenants from one port, as Graph does for a multi-tenant app: each tenant's token
 * endpoint issues tokens that name it, a call with a tenant's token sees that tenant's staging area, registered devices
 * and $batch only, and spends and suffers that tenant's budget and faults only; a tenant where the app has no consent
 * (or that the stand-in does not serve) gets Entra's AADSTS700016 until consent is granted. Each test has a stand-in of
 * its own serving the default tenant and fabrikam, closed at its end: none of these answers is a request Graph would
 * not read, so closing it fails no test.
 */
class GraphTenantsIT {

    private static final String SECRET = "tenants-secret";
    private static final String FABRIKAM = "fabrikam-test";

    private GraphStandIn graph;
    private StandInTenant fabrikam;

    @BeforeEach
    void start() {
        graph = new GraphStandIn(SECRET);
        fabrikam = graph.addTenant(FABRIKAM);
    }

    @AfterEach
    void stop() {
        graph.close();
    }

    @Test
    void aTokenNamesItsTenantAndACallWithItSeesOnlyThatTenant() throws Exception {
        StandInClient contosoClient = new StandInClient(graph, SECRET);
        StandInClient fabrikamClient = new StandInClient(graph, fabrikam, SECRET);
        fabrikam.devices().register("MT-REG-F-1", "Fabrikam", null);

        assertThat(SignedJWT.parse(contosoClient.token()).getJWTClaimsSet().getStringClaim("tid")).isEqualTo(GraphStandIn.TENANT);
        assertThat(SignedJWT.parse(fabrikamClient.token()).getJWTClaimsSet().getStringClaim("tid")).isEqualTo(FABRIKAM);
        assertThat(contosoClient.post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("MT-C-1") + "]}")
                .statusCode()).isEqualTo(200);
        assertThat(fabrikamClient.post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("MT-F-1") + "]}")
                .statusCode()).isEqualTo(200);

        assertThat(serials(contosoClient.get(COLLECTION))).containsExactly("MT-C-1");
        assertThat(serials(fabrikamClient.get(COLLECTION))).containsExactly("MT-F-1");
        String registered = REGISTERED + "?$filter=" + query("contains(serialNumber,'MT-REG-')");
        assertThat(serials(contosoClient.get(registered))).isEmpty();
        assertThat(serials(fabrikamClient.get(registered))).containsExactly("MT-REG-F-1");
        String contosoRecord = JSON.readTree(contosoClient.get(COLLECTION).body()).path("value").get(0).path("id").asText();
        assertThat(fabrikamClient.get(COLLECTION + "/" + contosoRecord).statusCode()).isEqualTo(404);
        JsonNode batch = JSON.readTree(fabrikamClient.post("/$batch", "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\","
                + "\"url\":\"" + COLLECTION + "/" + contosoRecord + "\"}]}").body());
        assertThat(batch.path("responses").get(0).path("status").asInt()).isEqualTo(404);
        assertThat(graph.imports().registrations("MT-C-1")).isEqualTo(1);
        assertThat(graph.imports().registrations("MT-F-1")).isZero();
        assertThat(fabrikam.imports().registrations("MT-F-1")).isEqualTo(1);
        assertThat(graph.batches().calls()).isZero();
        assertThat(fabrikam.batches().calls()).isEqualTo(1);
        assertThat(graph.tenants()).containsExactly(graph.defaultTenant(), fabrikam);
    }

    @Test
    void aTenantWithoutTheAppsConsentOrUnknownGetsEntrasAnswer() throws Exception {
        fabrikam.tokens().consent(false);

        HttpResponse<String> withoutConsent = askForToken(graph, fabrikam.tokenUrl(), SECRET);
        HttpResponse<String> unknown = askForToken(graph, graph.baseUrl() + "/northwind-test/oauth2/v2.0/token", SECRET);

        assertAppNotFound(withoutConsent, FABRIKAM);
        assertAppNotFound(unknown, "northwind-test");
        assertThat(fabrikam.tokens().requests()).isEqualTo(1);
        assertThat(graph.tokens().requests()).isZero();
        assertThat(askForToken(graph, graph.tokenUrl(), SECRET).statusCode()).isEqualTo(200);
    }

    @Test
    void consentGrantedLaterGivesTokensThatWorkInThatTenant() throws Exception {
        fabrikam.tokens().consent(false);
        assertAppNotFound(askForToken(graph, fabrikam.tokenUrl(), SECRET), FABRIKAM);

        fabrikam.tokens().consent(true);
        StandInClient client = new StandInClient(graph, fabrikam, SECRET);

        assertThat(client.post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":[" + device("MT-LATE-1") + "]}")
                .statusCode()).isEqualTo(200);
        assertThat(fabrikam.imports().registrations("MT-LATE-1")).isEqualTo(1);
        assertThat(fabrikam.tokens().requests()).isEqualTo(2);
    }

    @Test
    void eachTenantSpendsItsOwnIntuneBudget() throws Exception {
        graph.faults().enforceBudget(2, 100, true);
        fabrikam.faults().enforceBudget(2, 100, true);
        StandInClient contoso = new StandInClient(graph, SECRET);
        StandInClient fabrikamClient = new StandInClient(graph, fabrikam, SECRET);

        List<Integer> contosoStatuses = imports(contoso, "MT-BUDGET-C-", 3);
        List<Integer> fabrikamStatuses = imports(fabrikamClient, "MT-BUDGET-F-", 2);

        assertThat(contosoStatuses).containsExactly(200, 200, 429);
        assertThat(fabrikamStatuses).containsExactly(200, 200);
        assertThat(graph.faults().overBudget()).isEqualTo(1);
        assertThat(fabrikam.faults().overBudget()).isZero();
    }

    @Test
    void aTenantsOutageAndThrottlingLeaveTheOthersAnswering() throws Exception {
        StandInClient contoso = new StandInClient(graph, SECRET);
        StandInClient fabrikamClient = new StandInClient(graph, fabrikam, SECRET);
        fabrikam.faults().downFor(Duration.ofMinutes(5), 503);
        graph.imports().throttleNext(1, 7);

        assertThat(fabrikamClient.get(COLLECTION).statusCode()).isEqualTo(503);
        assertThat(askForToken(graph, fabrikam.tokenUrl(), SECRET).statusCode()).isEqualTo(503);
        assertThat(imports(fabrikamClient, "MT-DOWN-F-", 1)).containsExactly(503);
        assertThat(contoso.get(COLLECTION).statusCode()).isEqualTo(200);
        assertThat(askForToken(graph, graph.tokenUrl(), SECRET).statusCode()).isEqualTo(200);
        assertThat(imports(contoso, "MT-DOWN-C-", 2)).containsExactly(429, 200);
        assertThat(fabrikam.faults().refusedWhileDown()).isEqualTo(3);
        assertThat(graph.faults().refusedWhileDown()).isZero();
        assertThat(fabrikam.imports().calls()).isEmpty();
    }

    @Test
    void settingsNameEachTenantAndShareTheApp() {
        Map<String, StandInTenant> byName = new LinkedHashMap<>();
        byName.put("contoso", graph.defaultTenant());
        byName.put("fabrikam", fabrikam);

        Map<String, String> settings = graph.settings(byName);

        assertThat(settings).containsEntry("autopilot.tenants.contoso.tenant-id", GraphStandIn.TENANT)
                .containsEntry("autopilot.tenants.fabrikam.tenant-id", FABRIKAM)
                .containsEntry("autopilot.client-id", GraphStandIn.CLIENT_ID)
                .containsEntry("autopilot.client-secret", SECRET)
                .containsEntry("autopilot.authority-url", graph.baseUrl())
                .containsEntry("autopilot.graph-url", graph.graphUrl())
                .doesNotContainKey("autopilot.tenant-id");
        assertThat(graph.arguments(byName)).contains("--autopilot.tenants.fabrikam.tenant-id=" + FABRIKAM);
        assertThat(fabrikam.tokenUrl()).isEqualTo(graph.baseUrl() + "/" + FABRIKAM + "/oauth2/v2.0/token");
        assertThat(graph.arguments()).startsWith("--autopilot.tenant-id=" + GraphStandIn.TENANT)
                .noneMatch(a -> a.startsWith("--autopilot.tenants."));
    }

    @Test
    void theStandInOnItsOwnDeclaresTenantsAndTakesCommandsForOne() throws Exception {
        String[] options = {SECRET, "budget=2/100", "tenant=" + FABRIKAM + "/no-consent"};
        try (GraphStandIn onItsOwn = GraphStandInCommands.start(options)) {
            StandInTenant declared = onItsOwn.tenants().get(1);
            assertThat(declared.id()).isEqualTo(FABRIKAM);
            assertAppNotFound(askForToken(onItsOwn, declared.tokenUrl(), SECRET), FABRIKAM);

            assertThat(GraphStandInCommands.command(onItsOwn, "tenant " + FABRIKAM + " consent on")).startsWith("ok: ");
            StandInClient client = new StandInClient(onItsOwn, declared, SECRET);
            assertThat(imports(client, "MT-CLI-F-", 3)).containsExactly(200, 200, 429);
            assertThat(imports(new StandInClient(onItsOwn, SECRET), "MT-CLI-C-", 1)).containsExactly(200);
            assertThat(GraphStandInCommands.command(onItsOwn, "tenant " + FABRIKAM + " down 300")).startsWith("ok: ");
            assertThat(GraphStandInCommands.command(onItsOwn, "tenant northwind-test down 300")).startsWith("not understood: ");

            assertThat(client.get(COLLECTION).statusCode()).isEqualTo(503);
            assertThat(new StandInClient(onItsOwn, SECRET).get(COLLECTION).statusCode()).isEqualTo(200);
        }
    }

    private static void assertAppNotFound(HttpResponse<String> answer, String directory) throws Exception {
        JsonNode body = JSON.readTree(answer.body());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(body.path("error").asText()).isEqualTo("unauthorized_client");
        assertThat(body.path("error_description").asText()).startsWith("AADSTS700016: Application with identifier '"
                + GraphStandIn.CLIENT_ID + "' was not found in the directory '" + directory + "'.");
        assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(700016);
        assertThat(body.has("access_token")).isFalse();
    }

    /** The statuses of {@code count} import calls, one device each, sent one after the other. */
    private static List<Integer> imports(StandInClient client, String prefix, int count) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            statuses.add(client.post(IMPORT, "{\"importedWindowsAutopilotDeviceIdentities\":[" + device(prefix + i) + "]}")
                    .statusCode());
        }
        return statuses;
    }

    private static List<String> serials(HttpResponse<String> list) throws Exception {
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<String> serials = new ArrayList<>();
        JSON.readTree(list.body()).path("value").forEach(d -> serials.add(d.path("serialNumber").asText()));
        return serials;
    }
}
