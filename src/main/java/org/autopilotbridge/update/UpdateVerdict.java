package org.autopilotbridge.update;

import java.util.ArrayList;
import java.util.List;

import org.autopilotbridge.graph.AutopilotDevices.PropertyUpdate;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.RegisteredDevice;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.DeviceUpdate;
import org.autopilotbridge.ledger.Outcome;

/**
 * What an update of a registered device changes, and the outcome and words its line ends with. A group tag is
 * compared exactly (an admin may fix its case on purpose); a user principal name ignoring case, as Entra ID does.
 */
final class UpdateVerdict {

    private static final String NONE = "(none)";

    private UpdateVerdict() {
    }

    /**
     * The changes the line asks for that a device with {@code groupTag} and {@code user} does not have yet, as the
     * results file shows them: {@code group tag OLD -> NEW}, {@code user OLD -> NEW}.
     */
    static List<String> changes(DeviceUpdate update, String groupTag, String user) {
        List<String> changes = new ArrayList<>(2);
        if (tagDiffers(update, groupTag)) {
            changes.add("group tag " + shown(groupTag) + " -> " + update.groupTag());
        }
        if (userDiffers(update, user)) {
            changes.add("user " + shown(user) + " -> " + update.assignedUser());
        }
        return changes;
    }

    /** What to send: what differs from what the device had when it was found, nothing else. */
    static PropertyUpdate request(DeviceUpdate update) {
        return new PropertyUpdate(update.registeredId(), tagDiffers(update, update.foundGroupTag()) ? update.groupTag() : null,
                userDiffers(update, update.foundUser()) ? update.assignedUser() : null);
    }

    /** The device now has what the line asks for: the line says what changed since it was found. */
    static DeviceOutcome updated(DeviceUpdate update) {
        return DeviceOutcome.of(Outcome.UPDATED, String.join("; ", changes(update, update.foundGroupTag(), update.foundUser())));
    }

    /** The device had what the line asks for already. */
    static DeviceOutcome unchanged(DeviceUpdate update, RegisteredDevice device) {
        List<String> already = new ArrayList<>(2);
        if (update.groupTag() != null) {
            already.add("group tag already " + update.groupTag());
        }
        if (update.assignedUser() != null) {
            already.add("user already " + device.userPrincipalName());
        }
        String detail = String.join("; ", already);
        return update.updateOnly() ? DeviceOutcome.of(Outcome.UNCHANGED, detail)
                : DeviceOutcome.of(Outcome.ALREADY_REGISTERED, update.lineDetail() + "; " + detail);
    }

    /** No device is registered with the serial number. */
    static DeviceOutcome notFound(DeviceUpdate update) {
        if (update.updateOnly()) {
            return DeviceOutcome.of(Outcome.NOT_REGISTERED, "no Autopilot device with serial number " + update.serialNumber()
                    + " is registered in this tenant: import it with its hardware hash, or correct the serial number");
        }
        return DeviceOutcome.of(Outcome.FAILED, update.lineDetail() + ", but no Autopilot device with serial number "
                + update.serialNumber() + " could be found to change: its group tag and user are not changed; drop the "
                + "line again later");
    }

    /** Several devices carry the serial number: the service does not guess which one the line means. */
    static DeviceOutcome ambiguous(DeviceUpdate update, List<RegisteredDevice> devices) {
        return DeviceOutcome.of(Outcome.FAILED, devices.size() + " Autopilot devices are registered with serial number "
                + update.serialNumber() + " (ids " + String.join(", ", devices.stream().map(RegisteredDevice::id).toList())
                + "): none was changed; change the right one in the Intune portal");
    }

    /** Graph would not look up, read or change the device, or not within autopilot.update-attempts. */
    static DeviceOutcome failed(GraphException e, int tries) {
        String when = tries > 1 ? " after " + tries + " tries" : "";
        return new DeviceOutcome(Outcome.FAILED, e.status() == 0 ? null : String.valueOf(e.status()), e.code(),
                "the registered device's group tag or user could not be changed" + when + ": " + e.describe()
                        + "; drop the line again later");
    }

    /** Why a change is sent again after the device was read without it. */
    static final String NOT_SHOWN = "the change did not show when the device was read again";

    /** The change was sent, answered or not, but never showed on the device within autopilot.update-attempts. */
    static DeviceOutcome notShown(int tries) {
        return DeviceOutcome.of(Outcome.FAILED, "the registered device's group tag or user could not be changed after "
                + tries + " tries: " + NOT_SHOWN + "; drop the line again later");
    }

    /** The device named by its id is no longer there. */
    static boolean gone(GraphException e) {
        return e.status() == 404;
    }

    /** Worth another try: Graph did not answer, throttled, was unavailable, or answered 412 ConditionNotMet. */
    static boolean passing(GraphException e) {
        return e.status() == 0 || e.status() == 412 || e.status() == 429 || e.status() >= 500;
    }

    private static boolean tagDiffers(DeviceUpdate update, String groupTag) {
        return update.groupTag() != null && !update.groupTag().equals(emptyIfNull(groupTag));
    }

    private static boolean userDiffers(DeviceUpdate update, String user) {
        return update.assignedUser() != null && !update.assignedUser().equalsIgnoreCase(emptyIfNull(user));
    }

    private static String shown(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
