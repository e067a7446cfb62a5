package org.autopilotbridge.graph;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A registered Windows Autopilot device (Graph's windowsAutopilotDeviceIdentity, v1.0), with the properties the
 * service reads; Graph shows an empty string for a group tag, user or name that is not set.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegisteredDevice(String id, String serialNumber, String groupTag, String userPrincipalName, String displayName) {
}
