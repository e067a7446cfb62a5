package org.autopilotbridge.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.autopilotbridge.testing.StrictRequests.Refused;

import static org.autopilotbridge.testing.GraphAnswers.JSON;

/**
 * Deployment profile assignment as Intune shows it on a registered device, in Graph's beta version only (v1.0's
 * windowsAutopilotDeviceIdentity has neither the properties nor the navigation properties): each device's
 * {@code deploymentProfileAssignmentStatus}, {@code deploymentProfileAssignmentDetailedStatus} and
 * {@code deploymentProfileAssignedDateTime}, and, when {@code $expand} names them, {@code deploymentProfile} and
 * {@code intendedDeploymentProfile} (any other name is refused as Graph refuses it, and counted as malformed).
 * How Entra's group evaluation and Intune's assignment go is a mode per serial number: never assigned (the default,
 * a device in no group with a profile), pending for ever, assigned after a delay (pending until then, counted from the
 * first time the device's profile is read), or failed with a detailed status.
 */
public final class ProfileAssignments {

    private static final Set<String> NAVIGATION = Set.of("deploymentProfile", "intendedDeploymentProfile");
    private static final String PROFILE_TYPE = "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile";

    /** How one device's assignment goes: its status before and after {@code after}, and the profile it is about. */
    public record Mode(String before, Duration after, String status, String detailedStatus, String profileName) {

        /** A device in no group that has a profile: notAssigned for ever. */
        public static Mode neverAssigned() {
            return new Mode("notAssigned", Duration.ZERO, "notAssigned", "none", null);
        }

        /** Intune has the assignment pending and never completes it. */
        public static Mode pending(String profileName) {
            return new Mode("pending", Duration.ZERO, "pending", "none", profileName);
        }

        /** Pending, then assignedInSync once {@code delay} has passed since the first read of its profile. */
        public static Mode assignedAfter(Duration delay, String profileName) {
            return new Mode("pending", delay, "assignedInSync", "none", profileName);
        }

        /** Failed at once, with Graph's detailed status (hardwareRequirementsNotMet, ...). */
        public static Mode failed(String detailedStatus, String profileName) {
            return new Mode("failed", Duration.ZERO, "failed", detailedStatus, profileName);
        }
    }

    private final Map<String, Mode> bySerial = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstRead = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile Mode others = Mode.neverAssigned();

    ProfileAssignments() {
    }

    /** How the assignment of the device with this serial number goes. */
    public void mode(String serial, Mode mode) {
        bySerial.put(serial.toUpperCase(Locale.ROOT), mode);
    }

    /** How the assignment of every device without a mode of its own goes. */
    public void others(Mode mode) {
        others = mode;
    }

    /** Beta reads of registered devices by id (each shows the device's profile). */
    public int reads() {
        return reads.get();
    }

    /**
     * The device as a beta read by id shows it: with its profile's properties, and the navigation properties
     * {@code expand} names; v1.0 ({@code beta} false) takes no $expand on this entity at all.
     */
    ObjectNode shown(ObjectNode device, String expand, boolean beta) throws Refused {
        Set<String> expanded = expanded(expand, beta);
        if (!beta) {
            return device;
        }
        reads.incrementAndGet();
        String id = device.path("id").asText();
        Mode mode = bySerial.getOrDefault(device.path("serialNumber").asText().toUpperCase(Locale.ROOT), others);
        Instant since = firstRead.computeIfAbsent(id, i -> Instant.now());
        boolean done = !Instant.now().isBefore(since.plus(mode.after()));
        String status = done ? mode.status() : mode.before();
        device.put("deploymentProfileAssignmentStatus", status)
                .put("deploymentProfileAssignmentDetailedStatus", done ? mode.detailedStatus() : "none")
                .put("deploymentProfileAssignedDateTime", status.startsWith("assigned") ? since.plus(mode.after()).toString()
                        : "0001-01-01T00:00:00Z");
        boolean assigned = status.startsWith("assigned");
        if (expanded.contains("deploymentProfile")) {
            device.set("deploymentProfile", assigned && mode.profileName() != null ? profile(mode.profileName()) : null);
        }
        if (expanded.contains("intendedDeploymentProfile")) {
            device.set("intendedDeploymentProfile", mode.profileName() == null ? null : profile(mode.profileName()));
        }
        return device;
    }

    private static Set<String> expanded(String expand, boolean beta) throws Refused {
        if (expand == null) {
            return Set.of();
        }
        Set<String> names = Set.of(expand.split(","));
        for (String name : names) {
            if (!beta || !NAVIGATION.contains(name.strip())) {
                throw Refused.malformed(400, "BadRequest", "Could not find a property named '" + name.strip()
                        + "' on type 'microsoft.graph.windowsAutopilotDeviceIdentity'.");
            }
        }
        return names.stream().map(String::strip).collect(Collectors.toSet());
    }

    private static ObjectNode profile(String name) {
        return JSON.createObjectNode().put("@odata.type", PROFILE_TYPE).put("id", "profile-" + name.hashCode())
                .put("displayName", name).put("description", "").put("language", "os-default")
                .put("createdDateTime", "2026-01-05T09:00:00Z").put("lastModifiedDateTime", "2026-01-05T09:00:00Z")
                .put("deviceNameTemplate", "").put("deviceType", "windowsPc");
    }
}
