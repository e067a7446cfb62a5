package org.autopilotbridge.profile;

import java.time.Duration;
import java.util.Set;

import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.ProfileAssignment;
import org.autopilotbridge.ledger.ProfileStatus;

/**
 * What a read of a registered device's deployment profile means for its line: over (assigned, failed, gone), or to be
 * read again while the wait lasts; and how a line whose wait ended is reported.
 */
final class ProfileVerdict {

    /** Intune's statuses of a profile that is assigned, whether or not the Autopilot service has it in sync yet. */
    private static final Set<String> ASSIGNED = Set.of("assignedInSync", "assignedOutOfSync", "assignedUnkownSyncState");
    private static final String PENDING = "pending";
    private static final String FAILED = "failed";

    /** How a line's following ended: its status, the profile's name where known, and why, for lines that need action. */
    record Ended(ProfileStatus status, String profileName, String detail) {
    }

    private ProfileVerdict() {
    }

    /** The end a read shows, or null while Intune has neither assigned the profile nor failed to. */
    static Ended of(ProfileAssignment read) {
        String status = read.deploymentProfileAssignmentStatus();
        if (ASSIGNED.contains(status)) {
            return new Ended(ProfileStatus.ASSIGNED, read.profileName(), null);
        }
        if (FAILED.equals(status)) {
            String detailed = read.deploymentProfileAssignmentDetailedStatus();
            return new Ended(ProfileStatus.FAILED, read.profileName(), "deployment profile "
                    + (read.profileName() == null ? "" : "'" + read.profileName() + "' ") + "not assigned: "
                    + (detailed == null || detailed.isBlank() ? "failed" : detailed) + "; " + whatToDo(detailed));
        }
        return null;
    }

    /**
     * The end of a wait that ran out: pending when Intune last said so, else not assigned. {@code seenStatus} is what
     * the last read showed, {@code lastFailure} why the last read failed (null: it did not).
     */
    static Ended waitEnded(String seenStatus, Duration wait, GraphException lastFailure) {
        boolean pending = PENDING.equals(seenStatus);
        String detail = (pending ? "deployment profile still pending" : "no deployment profile assigned") + " after "
                + "autopilot.profile-wait (" + wait + "): check that the device's group tag puts it in a group that has a "
                + "deployment profile assigned, and that Intune shows it there"
                + (lastFailure == null ? "" : "; the last read failed: " + lastFailure.describe());
        return new Ended(pending ? ProfileStatus.PENDING : ProfileStatus.NOT_ASSIGNED, null, detail);
    }

    /** The registered device is gone (404) while it was followed. */
    static Ended deleted() {
        return new Ended(ProfileStatus.NOT_REGISTERED, null, "the registered device was deleted in Intune while its "
                + "deployment profile was followed; import it again if it is to be shipped with Autopilot");
    }

    /** What an admin can do about a failed assignment, by Graph's detailed status. */
    static String whatToDo(String detailed) {
        if ("hardwareRequirementsNotMet".equals(detailed)) {
            return "the device lacks what the profile needs (self-deploying and pre-provisioning need TPM 2.0 with "
                    + "attestation): assign it a user-driven profile through its group tag, or replace the device";
        }
        if (detailed != null && detailed.endsWith("ProfileNotSupported")) {
            return "the profile is for another kind of device: give the device a group tag whose group has a profile "
                    + "for its kind";
        }
        return "check the device's profile assignment in Intune (Devices, Windows, Enrollment, Devices) and assign it again";
    }
}
