package org.autopilotbridge.graph;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A registered device's deployment profile as Graph's beta windowsAutopilotDeviceIdentity shows it (v1.0 has none of
 * these): {@code deploymentProfileAssignmentStatus} (unknown, assignedInSync, assignedOutOfSync,
 * assignedUnkownSyncState, notAssigned, pending, failed), {@code deploymentProfileAssignmentDetailedStatus} (why it
 * failed) and the expanded {@code deploymentProfile} and {@code intendedDeploymentProfile}, each null when there is none.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProfileAssignment(String deploymentProfileAssignmentStatus, String deploymentProfileAssignmentDetailedStatus,
                                Profile deploymentProfile, Profile intendedDeploymentProfile) {

    /** A windowsAutopilotDeploymentProfile, as far as it is read. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Profile(String displayName) {
    }

    /** The assigned profile's name, else the one Intune intends to assign, else null. */
    public String profileName() {
        Profile named = deploymentProfile != null ? deploymentProfile : intendedDeploymentProfile;
        return named == null ? null : named.displayName();
    }
}
