package org.autopilotbridge.graph;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Graph's importedWindowsAutopilotDeviceIdentity (v1.0). Only the documented properties exist here, because
 * Graph refuses unknown ones with 400; {@code hardwareIdentifier} is Edm.Binary, i.e. padded base64 text.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportedDeviceIdentity(
        @JsonProperty("@odata.type") String odataType,
        String id,
        String groupTag,
        String serialNumber,
        String productKey,
        String importId,
        // Sent, never read back: Graph echoes every hash in its answers, and keeping them would hold megabytes
        // per call in memory for nothing.
        @JsonProperty(access = JsonProperty.Access.READ_ONLY) HardwareHash hardwareIdentifier,
        String assignedUserPrincipalName,
        ImportState state) {

    public static final String ODATA_TYPE = "#microsoft.graph.importedWindowsAutopilotDeviceIdentity";

    public static ImportedDeviceIdentity toImport(String serialNumber, HardwareHash hardwareIdentifier, String productKey,
                                                  String groupTag, String assignedUser, String importId) {
        return new ImportedDeviceIdentity(ODATA_TYPE, null, groupTag, serialNumber, productKey, importId,
                hardwareIdentifier, assignedUser, null);
    }

    /** The device's import progress as Graph reports it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImportState(String deviceImportStatus, String deviceRegistrationId, Integer deviceErrorCode,
                              String deviceErrorName) {
    }
}
