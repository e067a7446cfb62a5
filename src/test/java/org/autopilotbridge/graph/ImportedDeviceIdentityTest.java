package org.autopilotbridge.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * Staged records as the service reads and sends them: a hash goes out with each device, but one that comes back in a
 * listed page (Graph ignoring $select) is not kept, so a page of a thousand records does not hold 4 MB of hashes.
 */
class ImportedDeviceIdentityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keepsNoHashOfARecordReadBackButSendsTheHashOfADeviceToImport() throws IOException {
        String hash = Base64.getEncoder().encodeToString(new byte[3000]);
        String listed = """
                {"@odata.type":"#microsoft.graph.importedWindowsAutopilotDeviceIdentity","id":"rec-1","groupTag":"",
                 "serialNumber":"SN-1","productKey":"","importId":"apb-1-1-abc","hardwareIdentifier":"%s",
                 "assignedUserPrincipalName":"","state":{"deviceImportStatus":"complete",
                 "deviceRegistrationId":"dev-1","deviceErrorCode":0,"deviceErrorName":""}}""".formatted(hash);

        ImportedDeviceIdentity read = JSON.readValue(listed, ImportedDeviceIdentity.class);

        assertThat(read.hardwareIdentifier()).as("not kept").isNull();
        assertThat(read.serialNumber()).isEqualTo("SN-1");
        assertThat(read.state().deviceRegistrationId()).isEqualTo("dev-1");
        ImportedDeviceIdentity toImport = ImportedDeviceIdentity.toImport("SN-1", HardwareHash.of(hash), null, "Sales", null,
                "apb-1-1-abc");
        assertThat(JSON.readTree(JSON.writeValueAsBytes(toImport)).path("hardwareIdentifier").asText())
                .as("as bytes, into a request body").isEqualTo(hash);
        assertThat(JSON.readTree(JSON.writeValueAsString(toImport)).path("hardwareIdentifier").asText())
                .as("as text, where a generator writes characters").isEqualTo(hash);
    }
}
