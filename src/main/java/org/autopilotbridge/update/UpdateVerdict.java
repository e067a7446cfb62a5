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
 * What an update of a registered device changes, and the outcome and words its line ends with. A group tag and a name
 * are compared exactly (an admin may fix their case on purpose); a user principal name ignoring case, as Entra ID does.
 */
final class UpdateVerdict {

    private static final String NONE = "(none)";

    private UpdateVerdict() {
    }

    /**
     * The changes the line asks for that a device with {@code groupTag}, {@code user} and {@code name} does not have
     * yet, as the results file shows them: {@code group tag OLD -> NEW}, {@code user OLD -> NEW}, {@code name NEW}.
     */
    static List<String> changes(DeviceUpdate update, String groupTag, String user, String name) {
        List<String> changes = new ArrayList<>(3);
        if (tagDiffers(update, groupTag)) {
            changes.add("group tag " + shown(groupTag) + " -> " + update.groupTag());
        }
        if (userDiffers(update, user)) {
            changes.add("user " + shown(user) + " -> " + update.assignedUser());
        }
        if (nameDiffers(update, name)) {
            changes.add("name " + update.displayName());
        }
        return changes;
    }

    /** The changes the line asks for that {@code device} does not have yet. */
    static List<String> changes(DeviceUpdate update, RegisteredDevice device) {
        return changes(update, device.groupTag(), device.userPrincipalName(), device.displayName());
    }

    /** What to send: what differs from what the device had when it was found, nothing else. */
    static PropertyUpdate request(DeviceUpdate update) {
        return new PropertyUpdate(update.registeredId(), tagDiffers(update, update.foundGroupTag()) ? update.groupTag() : null,
                userDiffers(update, update.foundUser()) ? update.assignedUser() : null,
                nameDiffers(update, update.foundDisplayName()) ? update.displayName() : null);
    }

    /**
     * The device now has what the line asks for: the line says what changed since it was found, and stays imported
     * when its own import registered the device.
     */
    static DeviceOutcome updated(DeviceUpdate update) {
        String changed = String.join("; ", changes(update, update.foundGroupTag(), update.foundUser(), update.foundDisplayName()));
        return DeviceOutcome.of(update.afterImport() ? Outcome.IMPORTED : Outcome.UPDATED, changed);
    }

    /** The device had what the line asks for already. */
    static DeviceOutcome unchanged(DeviceUpdate update, RegisteredDevice device) {
        List<String> already = new ArrayList<>(3);
        if (update.groupTag() != null) {
            already.add("group tag already " + update.groupTag());
        }
        if (update.assignedUser() != null) {
            already.add("user already " + device.userPrincipalName());
        }
        if (update.displayName() != null) {
            already.add("name already " + update.displayName());
        }
        String detail = String.join("; ", already);
        return switch (update.kind()) {
            case UPDATE_ONLY -> DeviceOutcome.of(Outcome.UNCHANGED, detail);
            case IMPORTED -> DeviceOutcome.of(Outcome.IMPORTED, detail);
            case REGISTERED -> DeviceOutcome.of(Outcome.ALREADY_REGISTERED, update.lineDetail() + "; " + detail);
        };
    }

    /** No device is registered with the serial number. */
    static DeviceOutcome notFound(DeviceUpdate update) {
        if (update.updateOnly()) {
            return DeviceOutcome.of(Outcome.NOT_REGISTERED, "no Autopilot device with serial number " + update.serialNumber()
                    + " is registered in this tenant: import it with its hardware hash, or correct the serial number");
        }
        return DeviceOutcome.of(Outcome.FAILED, (update.afterImport() ? "imported" : update.lineDetail())
                + ", but no Autopilot device with serial number " + update.serialNumber() + " could be found to change: its "
                + asked(update) + (asked(update).contains(" and ") ? " are" : " is") + " not changed; drop the line again later");
    }

    /** Several devices carry the serial number: the service does not guess which one the line means. */
    static DeviceOutcome ambiguous(DeviceUpdate update, List<RegisteredDevice> devices) {
        return DeviceOutcome.of(Outcome.FAILED, devices.size() + " Autopilot devices are registered with serial number "
                + update.serialNumber() + " (ids " + String.join(", ", devices.stream().map(RegisteredDevice::id).toList())
                + "): none was changed; change the right one in the Intune portal");
    }

    /** Graph would not look up, read or change the device, or not within autopilot.update-attempts. */
    static DeviceOutcome failed(DeviceUpdate update, GraphException e, int tries) {
        String when = tries > 1 ? " after " + tries + " tries" : "";
        return new DeviceOutcome(Outcome.FAILED, e.status() == 0 ? null : String.valueOf(e.status()), e.code(),
                notChanged(update) + when + ": " + e.describe() + "; drop the line again later");
    }

    /** Why a change is sent again after the device was read without it. */
    static final String NOT_SHOWN = "the change did not show when the device was read again";

    /** The change was sent, answered or not, but never showed on the device within autopilot.update-attempts. */
    static DeviceOutcome notShown(DeviceUpdate update, int tries) {
        return DeviceOutcome.of(Outcome.FAILED, notChanged(update) + " after " + tries + " tries: " + NOT_SHOWN
                + "; drop the line again later");
    }

    /** How a failed update begins: a device its own import registered is imported all the same. */
    private static String notChanged(DeviceUpdate update) {
        return (update.afterImport() ? "imported, but " : "") + "the registered device's " + asked(update) + " could not be changed";
    }

    /** What the line asks to change, in words: {@code group tag}, {@code group tag and user}, {@code group tag, user and name}. */
    private static String asked(DeviceUpdate update) {
        List<String> asked = new ArrayList<>(3);
        if (update.groupTag() != null) {
            asked.add("group tag");
        }
        if (update.assignedUser() != null) {
            asked.add("user");
        }
        if (update.displayName() != null) {
            asked.add("name");
        }
        int last = asked.size() - 1;
        return last <= 0 ? String.join("", asked) : String.join(", ", asked.subList(0, last)) + " and " + asked.get(last);
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

    private static boolean nameDiffers(DeviceUpdate update, String name) {
        return update.displayName() != null && !update.displayName().equals(emptyIfNull(name));
    }

    private static String shown(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
