package org.autopilotbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.graph.HardwareHash;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.ingest.DeviceRowValidator;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.testing.GraphStandIn;

/**
 * The two ways to register devices the service is measured against, each as bare as it can be: one connection,
 * one call after another, no ledger, no following, no clean-up, no reports. Rows pass the service's validator
 * first, so that both send exactly the devices the service sends (hashes with their padding repaired).
 * <ul>
 *   <li>batched: 500 devices per import call, then their states read once, in one listing of every staged record
 *       (1,000 to a page, without hashes): the floor for a serial client that knows how its devices ended;</li>
 *   <li>per device: one create call per device, as Import-AutopilotCSV and Get-WindowsAutopilotInfo -Online do.</li>
 * </ul>
 */
final class BareClients {

    /** {@code sent}: until the last import answer; {@code elapsed}: until the states are read too (or the same). */
    record Figures(int devices, Duration sent, Duration elapsed, int calls, int pages) {
    }

    private static final String STAGED = "/deviceManagement/importedWindowsAutopilotDeviceIdentities";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeviceRowValidator VALIDATOR = new DeviceRowValidator();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final GraphStandIn graph;
    private final String token;

    BareClients(GraphStandIn graph, String clientSecret) throws IOException, InterruptedException {
        this.graph = graph;
        String form = "grant_type=client_credentials&client_id=" + GraphStandIn.CLIENT_ID + "&client_secret="
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8) + "&scope=" + URLEncoder.encode(
                // Entra, and so the stand-in, takes only the .default scope of the Graph in use: here the stand-in's.
                graph.baseUrl() + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(graph.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        this.token = JSON.readTree(answer.body()).path("access_token").asText();
    }

    /** Every device of the file, 500 to an import call, then every staged record's state, read once. */
    Figures batched(Path file) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int devices = 0;
        int calls = 0;
        try (HashFileReader reader = HashFileReader.open(file)) {
            for (Iterator<List<DeviceRow>> chunks = reader.deviceRowChunks(500); chunks.hasNext(); ) {
                List<ImportedDeviceIdentity> batch = new ArrayList<>();
                for (DeviceRow row : chunks.next()) {
                    batch.add(identity(row));
                }
                post(STAGED + "/import",
                        Map.of("importedWindowsAutopilotDeviceIdentities", batch));
                devices += batch.size();
                calls++;
            }
        }
        Duration sent = Duration.ofNanos(System.nanoTime() - start);
        int pages = 0;
        for (String page = graph.graphUrl() + STAGED + "?$select=id,serialNumber,importId,state&$top=1000"; page != null; pages++) {
            page = JSON.readTree(get(page)).path("@odata.nextLink").asText(null);
        }
        return new Figures(devices, sent, Duration.ofNanos(System.nanoTime() - start), calls, pages);
    }

    /** The first {@code sample} devices of the file, one create call each. */
    Figures perDevice(Path file, int sample) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int devices = 0;
        try (HashFileReader reader = HashFileReader.open(file)) {
            for (Iterator<List<DeviceRow>> chunks = reader.deviceRowChunks(100); chunks.hasNext() && devices < sample; ) {
                for (DeviceRow row : chunks.next()) {
                    if (devices == sample) {
                        break;
                    }
                    post(STAGED, identity(row));
                    devices++;
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Figures(devices, elapsed, elapsed, devices, 0);
    }

    private static ImportedDeviceIdentity identity(DeviceRow row) {
        RecordedLine line = VALIDATOR.validate(row, null);
        return ImportedDeviceIdentity.toImport(line.serialNumber(), HardwareHash.of(line.hardwareHash()), line.productKey(),
                line.groupTag(), line.assignedUser(), "bare-client");
    }

    private byte[] get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IOException("Graph stand-in answered " + answer.statusCode() + " to " + url);
        }
        return answer.body();
    }

    private void post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(graph.graphUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("Graph stand-in answered " + answer.statusCode() + " to " + path);
        }
    }
}
