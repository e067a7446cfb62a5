package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console as it is installed, on loopback with nothing set about it: the login is on, nobody can log in yet, and
 * a caller on this machine (a reverse proxy's requests look just the same) gets health's status and nothing else.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class ConsoleClosedIT {

    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOW = "set autopilot.console.user and AUTOPILOT_CONSOLE_PASSWORD (at least 12 characters)";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
    }

    @Test
    void answers401UntilALoginIsSetAndSaysHow(CapturedOutput output) throws Exception {
        for (String path : List.of("/actuator/jolokia/version", "/actuator/prometheus", "/actuator/camelroutes", "/actuator/hawtio/")) {
            HttpResponse<String> answer = get(path, "text/html", null);
            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.body()).as(path).contains("No console login is set").contains(HOW);
        }
        assertThat(get("/actuator/jolokia/version", "application/json", "Basic " + Base64.getEncoder().encodeToString(
                "user:guessed-password".getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(401);

        assertThat(output.getAll()).contains("no console login is set. To open them, " + HOW)
                .doesNotContain("Using generated security password");
    }

    @Test
    void answersProbesWithTheStatusAlone() throws Exception {
        for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> answer = get(probe, "application/json", null);
            // The root also names its groups (liveness, readiness): Spring Boot's, the same on every installation.
            assertThat(JSON.readTree(answer.body()).properties()).as(probe + ": " + answer.body())
                    .extracting(Map.Entry::getKey).contains("status").isSubsetOf("status", "groups");
        }
    }

    private HttpResponse<String> get(String path, String accept, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
