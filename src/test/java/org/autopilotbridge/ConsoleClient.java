package org.autopilotbridge;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's endpoints over HTTP as an operator's browser reaches them: Jolokia reads and operations (the latter by
 * POST with the CSRF token Spring Security hands out, as Hawtio sends them) with the operator's login, and any GET with
 * the login given, or none.
 */
final class ConsoleClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final String user;
    private final String password;

    /** A client of the service on {@code port}, with the operator's login. */
    ConsoleClient(int port, String user, String password) {
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** A Jolokia GET as the operator, answered 200: Jolokia's own answer, whose status may still refuse. */
    JsonNode jolokia(String request) throws Exception {
        HttpResponse<String> response = get(jolokiaPath(request), user, password);
        assertThat(response.statusCode()).as(request).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A Jolokia GET as the operator, with more headers (name, value, ...). */
    HttpResponse<String> jolokiaGet(String request, String... headers) throws Exception {
        return get(jolokiaPath(request), "application/json", user, password, headers);
    }

    /** Refused by Jolokia: its answer says 403, with no value. */
    static boolean refused(HttpResponse<String> response) throws IOException {
        JsonNode answer = JSON.readTree(response.body());
        return answer.path("status").asInt() == 403 && answer.path("value").isMissingNode();
    }

    private static String jolokiaPath(String request) {
        int slash = request.indexOf('/');
        String[] parts = request.substring(slash + 1).split("/", 2);
        return "/actuator/jolokia/" + request.substring(0, slash) + "/" + encode(parts[0]) + "/" + parts[1];
    }

    /** An operation invoked as Hawtio does: by POST, with the CSRF token Spring Security handed out. */
    JsonNode exec(String mbean, String operation, Object... arguments) throws Exception {
        return exec(Map.of(), mbean, operation, arguments);
    }

    JsonNode exec(Map<String, String> headers, String mbean, String operation, Object... arguments) throws Exception {
        return post(headers, JSON.writeValueAsString(Map.of("type", "exec", "mbean", mbean, "operation", operation,
                "arguments", arguments)));
    }

    JsonNode post(Map<String, String> headers, String body) throws Exception {
        HttpResponse<String> version = get("/actuator/jolokia/version", user, password);
        String token = version.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        HttpRequest.Builder request = HttpRequest.newBuilder(url("/actuator/jolokia")).header("Content-Type", "application/json")
                .header("Authorization", basic(user, password)).header("Cookie", "XSRF-TOKEN=" + token)
                .header("X-XSRF-TOKEN", token).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(body).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A GET with this login, or none when {@code as} is null. */
    HttpResponse<String> get(String path, String as, String secret) throws Exception {
        return get(path, "application/json", as, secret);
    }

    HttpResponse<String> get(String path, String accept, String as, String secret, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).header("Accept", accept);
        if (as != null) {
            request.header("Authorization", basic(as, secret));
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String as, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((as + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static String encode(String mbean) {
        return URLEncoder.encode(mbean, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
