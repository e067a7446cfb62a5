package org.autopilotbridge.graph;

import java.util.List;

/** Body of the {@code importedWindowsAutopilotDeviceIdentities/import} action. */
record ImportRequest(List<ImportedDeviceIdentity> importedWindowsAutopilotDeviceIdentities) {
}
