package org.autopilotbridge.track;

import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.ImportedDeviceIdentity.ImportState;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.Outcome;

/** Turns what Graph says about a device into the outcome the results file shows. */
final class GraphVerdict {

    static final int ALREADY_ASSIGNED = 806;
    static final int ASSIGNED_TO_OTHER_TENANT = 808;

    private GraphVerdict() {
    }

    /** The final outcome for a device's import state, or null while Graph is still working on it. */
    static DeviceOutcome of(ImportState state) {
        String status = state == null || state.deviceImportStatus() == null ? "unknown" : state.deviceImportStatus();
        if ("complete".equalsIgnoreCase(status)) {
            return DeviceOutcome.of(Outcome.IMPORTED, null);
        }
        if (!"error".equalsIgnoreCase(status)) {
            return null;
        }
        Integer code = state.deviceErrorCode();
        String name = state.deviceErrorName();
        String codeText = code == null ? null : code.toString();
        if (code != null && code == ALREADY_ASSIGNED) {
            return new DeviceOutcome(Outcome.ALREADY_REGISTERED, codeText, name, "already registered in this tenant");
        }
        if (code != null && code == ASSIGNED_TO_OTHER_TENANT) {
            return new DeviceOutcome(Outcome.OTHER_TENANT, codeText, name,
                    "registered to another tenant: it must be released there (or by Microsoft support) first");
        }
        return new DeviceOutcome(Outcome.FAILED, codeText, name, "Graph could not import the device"
                + (name == null ? "" : ": " + name));
    }

    /** A request Graph did not accept, as the outcome of the devices it carried. */
    static DeviceOutcome of(GraphException e) {
        return new DeviceOutcome(Outcome.FAILED, e.status() == 0 ? null : String.valueOf(e.status()), e.code(), e.describe());
    }
}
