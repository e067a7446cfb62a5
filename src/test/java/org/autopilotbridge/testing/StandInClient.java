package org.autopilotbridge.testing;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client of one stand-in for the tests of the stand-in itself: signed in as the service signs in, and able to send
 * what no HTTP client would (a body that does not match its Content-Length).
 */
final class StandInClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String COLLECTION = "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
    static final String IMPORT = COLLECTION + "/import";
    static final String REGISTERED = "/deviceManagement/windowsAutopilotDeviceIdentities";

    private final GraphStandIn graph;
    private final String token;

    StandInClient(GraphStandIn graph, String secret) throws Exception {
        this(graph, graph.defaultTenant(), secret);
    }

    /** Signed in to {@code tenant}: every call it sends is served from that tenant. */
    StandInClient(GraphStandIn graph, StandInTenant tenant, String secret) throws Exception {
        this.graph = graph;
        this.token = signIn(graph, tenant.tokenUrl(), secret);
    }

    String token() {
        return token;
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(graph.graphUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return follow(graph.graphUrl() + path);
    }

    /** A GET of a whole URL, as a next link gives it. */
    HttpResponse<String> follow(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request written by hand, for what no HTTP client would send; returns the status line. */
    String raw(String request) throws IOException {
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

    /** A token from {@code graph}'s token endpoint, asked for as the service asks: its Graph's .default scope. */
    static String signIn(GraphStandIn graph, String secret) throws Exception {
        return signIn(graph, graph.tokenUrl(), secret);
    }

    private static String signIn(GraphStandIn graph, String tokenUrl, String secret) throws Exception {
        HttpResponse<String> answer = askForToken(graph, tokenUrl, secret);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    /** The answer of the token endpoint at {@code tokenUrl} (one tenant's) to a request as the service sends it. */
    static HttpResponse<String> askForToken(GraphStandIn graph, String tokenUrl, String secret) throws Exception {
        return askForToken(tokenUrl, secret, graph.baseUrl() + "/.default", "application/x-www-form-urlencoded");
    }

    static HttpResponse<String> askForToken(GraphStandIn graph, String secret, String scope, String contentType)
            throws Exception {
        return askForToken(graph.tokenUrl(), secret, scope, contentType);
    }

    private static HttpResponse<String> askForToken(String tokenUrl, String secret, String scope, String contentType)
            throws Exception {
        String form = "grant_type=client_credentials&client_id=" + GraphStandIn.CLIENT_ID + "&client_secret=" + secret
                + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(tokenUrl)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A device object as the service sends it, under import t-1. */
    static String device(String serial) {
        return "{\"@odata.type\":\"#microsoft.graph.importedWindowsAutopilotDeviceIdentity\",\"serialNumber\":\"" + serial
                + "\",\"hardwareIdentifier\":\"" + HashFiles.hash(new Random(1)) + "\",\"importId\":\"t-1\"}";
    }

    static JsonNode error(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body()).path("error");
    }

    static String query(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
