package org.autopilotbridge.graph;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;


/**
 * The Graph calls on registered Autopilot devices (windowsAutopilotDeviceIdentities): finding them by serial number,
 * reading them by id (their deployment profiles too), and changing their group tag, user or name with
 * {@code updateDeviceProperties}, the update Graph allows with application permission. Every call goes 20 requests
 * to a JSON {@code $batch}, at the gate's UPDATE priority (profile reads at PROFILE), and answers request by
 * request: what one device's request met never fails the others.
 */
public class AutopilotDevices {

    private static final String COLLECTION = "/deviceManagement/windowsAutopilotDeviceIdentities";
    /** A further page of one lookup, read on its own. */
    private static final GraphGate.Cost PAGE = new GraphGate.Cost(GraphGate.Priority.UPDATE, 1, 0);
    private static final TypeReference<GraphPage<RegisteredDevice>> PAGE_TYPE = new TypeReference<>() { };

    /** The devices registered with exactly one serial number, or why Graph could not say. */
    public record Lookup(List<RegisteredDevice> devices, GraphException failure) {
    }

    /** A registered device as read by id, or why it could not be read (404: it is gone). */
    public record Read(RegisteredDevice device, GraphException failure) {
    }

    /** A registered device's deployment profile as read by id, or why it could not be read (404: it is gone). */
    public record ProfileRead(ProfileAssignment assignment, GraphException failure) {
    }

    /** The changes for one device: only what is not null is sent, so the rest stays as it is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PropertyUpdate(@JsonIgnore String deviceId, String groupTag, String userPrincipalName, String displayName) {
    }

    private final GraphClient graph;
    private final JsonBatch batch;
    private final ObjectMapper json;
    private final URI graphUrl;

    AutopilotDevices(GraphClient graph, JsonBatch batch, ObjectMapper json, URI graphUrl) {
        this.graphUrl = graphUrl;
        this.graph = graph;
        this.batch = batch;
        this.json = json;
    }

    /**
     * Finds the devices registered under each serial number with {@code $filter=contains(serialNumber,'...')}, the
     * filter Graph takes on this list (it refuses {@code eq}). {@code contains} also matches longer serial numbers, so
     * only exact matches (ignoring case, as serial numbers are compared everywhere here) are kept, page by page.
     */
    public List<Lookup> findBySerial(List<String> serials) throws GraphException {
        List<JsonBatch.Request> requests = serials.stream().map(serial -> new JsonBatch.Request("GET", COLLECTION
                + "?$filter=" + query("contains(serialNumber,'" + serial.replace("'", "''") + "')"), null)).toList();
        List<JsonBatch.Answer> answers = batch.send(requests, GraphGate.Priority.UPDATE);
        List<Lookup> lookups = new ArrayList<>(serials.size());
        for (int i = 0; i < serials.size(); i++) {
            JsonBatch.Answer answer = answers.get(i);
            lookups.add(answer.ok() ? new Lookup(exactMatches(serials.get(i), answer.body()), null)
                    : new Lookup(List.of(), answer.failure()));
        }
        return lookups;
    }

    /** Reads registered devices by id. */
    public List<Read> read(List<String> deviceIds) throws GraphException {
        List<JsonBatch.Request> requests = deviceIds.stream()
                .map(id -> new JsonBatch.Request("GET", COLLECTION + "/" + GraphClient.encode(id), null)).toList();
        List<Read> reads = new ArrayList<>(deviceIds.size());
        for (JsonBatch.Answer answer : batch.send(requests, GraphGate.Priority.UPDATE)) {
            reads.add(answer.ok() ? new Read(GraphClient.treeAs(json.readerFor(RegisteredDevice.class), answer.body()), null)
                    : new Read(null, answer.failure()));
        }
        return reads;
    }

    /**
     * Reads registered devices' deployment profiles by id from Graph's beta version, the only one that has them, with
     * both profiles expanded for their names; at the gate's PROFILE priority, below imports and updates.
     */
    public List<ProfileRead> readProfiles(List<String> deviceIds) throws GraphException {
        List<JsonBatch.Request> requests = deviceIds.stream().map(id -> new JsonBatch.Request("GET", COLLECTION + "/"
                + GraphClient.encode(id) + "?$expand=" + query("deploymentProfile,intendedDeploymentProfile"), null)).toList();
        ObjectReader reader = json.readerFor(ProfileAssignment.class);
        List<ProfileRead> reads = new ArrayList<>(deviceIds.size());
        for (JsonBatch.Answer answer : batch.send(GraphClient.beta(graphUrl), requests, GraphGate.Priority.PROFILE)) {
            reads.add(answer.ok() ? new ProfileRead(GraphClient.treeAs(reader, answer.body()), null)
                    : new ProfileRead(null, answer.failure()));
        }
        return reads;
    }

    /**
     * Sends each device's changes through {@code updateDeviceProperties} (204). Returns, for each, null when Graph
     * carried it out, else why not.
     */
    public List<GraphException> updateProperties(List<PropertyUpdate> updates) throws GraphException {
        List<JsonBatch.Request> requests = updates.stream().map(u -> new JsonBatch.Request("POST",
                COLLECTION + "/" + GraphClient.encode(u.deviceId()) + "/updateDeviceProperties", json.valueToTree(u))).toList();
        return batch.send(requests, GraphGate.Priority.UPDATE).stream().map(a -> a.ok() ? null : a.failure()).toList();
    }

    /** The devices of one lookup's answer whose serial number is exactly {@code serial}, following its next links. */
    private List<RegisteredDevice> exactMatches(String serial, JsonNode firstPage) throws GraphException {
        List<RegisteredDevice> matches = new ArrayList<>();
        ObjectReader pageReader = json.readerFor(PAGE_TYPE);
        for (GraphPage<RegisteredDevice> page = GraphClient.treeAs(pageReader, firstPage); page != null;
                page = graph.nextPage(page.nextLink(), pageReader, PAGE)) {
            if (page.value() != null) {
                page.value().stream().filter(d -> serial.equalsIgnoreCase(d.serialNumber())).forEach(matches::add);
            }
        }
        return matches;
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
