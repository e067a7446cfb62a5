package org.autopilotbridge.track;

import java.util.Locale;

import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.ImportedDeviceIdentity.ImportState;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.Outcome;

/**
 * Turns what Graph says about a device into the outcome and the explanation the results file shows. Graph's error
 * names are matched as well as its codes: the same error comes with different spellings in the field
 * ({@code ZtdDeviceAssignedToOtherTenant} and {@code ...AnotherTenant}), and some errors carry no stable code.
 */
public final class GraphVerdict {

    static final int ALREADY_ASSIGNED = 806;
    static final int ASSIGNED_TO_OTHER_TENANT = 808;
    static final int INVALID_HARDWARE_HASH = 802;

    /** A device whose staged record Graph no longer holds although its import never reached a final state. */
    static final DeviceOutcome GONE = new DeviceOutcome(Outcome.FAILED, null, null,
            "Graph no longer holds the device's import record (deleted outside this service?) and never reported it final: "
                    + "look the serial number up under Windows Autopilot devices and drop the line again if it is missing");

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
        String name = state.deviceErrorName() == null || state.deviceErrorName().isBlank() ? null : state.deviceErrorName();
        String codeText = code == null || code == 0 ? null : code.toString();
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (is(code, ALREADY_ASSIGNED) || key.equals("ztddevicealreadyassigned")) {
            return new DeviceOutcome(Outcome.ALREADY_REGISTERED, codeText, name, "already registered in this tenant");
        }
        if (is(code, ASSIGNED_TO_OTHER_TENANT) || key.equals("ztddeviceassignedtoothertenant")
                || key.equals("ztddeviceassignedtoanothertenant")) {
            return new DeviceOutcome(Outcome.OTHER_TENANT, codeText, name,
                    "registered to another tenant: it must be released there (or by Microsoft support) first");
        }
        if (is(code, INVALID_HARDWARE_HASH) || key.equals("invalidztdhardwarehash")) {
            return new DeviceOutcome(Outcome.FAILED, codeText, name, "Graph finds the hardware hash invalid (its "
                    + "manufacturer or serial number is missing or wrong): capture the hash on the device again");
        }
        if (key.equals("ztddeviceduplicated")) {
            return new DeviceOutcome(Outcome.FAILED, codeText, name, "the same hardware hash is on another line of "
                    + "this import under another serial number; only one of them was processed: see that line's outcome");
        }
        if (key.equals("storageerror")) {
            return new DeviceOutcome(Outcome.FAILED, codeText, name, "a passing storage error in the Autopilot service: "
                    + "drop the failed-rows file again later; if it persists, contact Microsoft support");
        }
        return new DeviceOutcome(Outcome.FAILED, codeText, name, "Graph could not import the device"
                + (name == null ? "" : ": " + name));
    }

    /** A request Graph did not accept, as the outcome of the devices it carried. */
    public static DeviceOutcome of(GraphException e) {
        return new DeviceOutcome(Outcome.FAILED, e.status() == 0 ? null : String.valueOf(e.status()), e.code(), e.describe());
    }

    private static boolean is(Integer code, int expected) {
        return code != null && code == expected;
    }
}
