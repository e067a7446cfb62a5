package org.autopilotbridge.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.ProfileAssignment;
import org.autopilotbridge.graph.ProfileAssignment.Profile;
import org.autopilotbridge.ledger.ProfileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each of Intune's assignment statuses means for a line, and what its Detail tells an admin to do. */
class ProfileVerdictTest {

    @ParameterizedTest
    @ValueSource(strings = {"assignedInSync", "assignedOutOfSync", "assignedUnkownSyncState"})
    void everyAssignedStatusIsAssignedWithTheProfilesName(String status) {
        ProfileVerdict.Ended end = ProfileVerdict.of(read(status, "none", new Profile("Contoso user-driven"), null));

        assertThat(end).isEqualTo(new ProfileVerdict.Ended(ProfileStatus.ASSIGNED, "Contoso user-driven", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "notAssigned", "pending"})
    void anAssignmentNotMadeYetIsReadAgain(String status) {
        assertThat(ProfileVerdict.of(read(status, "none", null, new Profile("Kiosk")))).isNull();
    }

    @Test
    void anAssignedStatusWithoutTheProfileYetNamesTheIntendedOne() {
        assertThat(ProfileVerdict.of(read("assignedOutOfSync", "none", null, new Profile("Kiosk"))).profileName()).isEqualTo("Kiosk");
    }

    @Test
    void aFailureCarriesGraphsDetailedStatusAndWhatToDo() {
        ProfileVerdict.Ended hardware = ProfileVerdict.of(read("failed", "hardwareRequirementsNotMet", null, new Profile("Self-deploying")));

        assertThat(hardware.status()).isEqualTo(ProfileStatus.FAILED);
        assertThat(hardware.detail()).isEqualTo("deployment profile 'Self-deploying' not assigned: hardwareRequirementsNotMet; the "
                + "device lacks what the profile needs (self-deploying and pre-provisioning need TPM 2.0 with attestation): "
                + "assign it a user-driven profile through its group tag, or replace the device");
        assertThat(ProfileVerdict.of(read("failed", "holoLensProfileNotSupported", null, null)).detail())
                .startsWith("deployment profile not assigned: holoLensProfileNotSupported; the profile is for another kind of device");
        assertThat(ProfileVerdict.of(read("failed", null, null, null)).detail())
                .startsWith("deployment profile not assigned: failed; check the device's profile assignment in Intune");
    }

    @Test
    void aWaitThatEndsIsPendingOnlyWhenIntuneLastSaidSo() {
        Duration wait = Duration.ofHours(2);

        assertThat(ProfileVerdict.waitEnded("pending", wait, null).status()).isEqualTo(ProfileStatus.PENDING);
        assertThat(ProfileVerdict.waitEnded("pending", wait, null).detail()).startsWith("deployment profile still pending after "
                + "autopilot.profile-wait (PT2H): check that the device's group tag puts it in a group");
        assertThat(ProfileVerdict.waitEnded("notAssigned", wait, null).status()).isEqualTo(ProfileStatus.NOT_ASSIGNED);
        assertThat(ProfileVerdict.waitEnded(null, wait, new GraphException(503, "ServiceUnavailable", "down", null, null, false))
                .detail()).startsWith("no deployment profile assigned").contains("; the last read failed: ");
    }

    @Test
    void aDeviceDeletedMeanwhileIsNotRegistered() {
        assertThat(ProfileVerdict.deleted().status()).isEqualTo(ProfileStatus.NOT_REGISTERED);
        assertThat(ProfileVerdict.deleted().detail()).contains("deleted in Intune");
    }

    private static ProfileAssignment read(String status, String detailed, Profile assigned, Profile intended) {
        return new ProfileAssignment(status, detailed, assigned, intended);
    }
}
