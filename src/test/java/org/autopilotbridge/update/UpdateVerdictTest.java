package org.autopilotbridge.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.autopilotbridge.graph.AutopilotDevices.PropertyUpdate;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.RegisteredDevice;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.DeviceUpdate;
import org.autopilotbridge.ledger.Outcome;
import org.junit.jupiter.api.Test;

class UpdateVerdictTest {

    private static DeviceUpdate update(boolean updateOnly, String groupTag, String user, String foundTag, String foundUser) {
        return new DeviceUpdate(1, 2, updateOnly, "SN1", groupTag, user, "dev-1", foundTag, foundUser, 0,
                "already registered in this tenant", false);
    }

    @Test
    void namesEachChangeAsOldToNewAndOnlyWhatTheLineAsksFor() {
        assertThat(UpdateVerdict.changes(update(true, "New", null, null, null), "Old", "bob@contoso.com"))
                .containsExactly("group tag Old -> New");
        assertThat(UpdateVerdict.changes(update(true, "New", "ana@contoso.com", null, null), "", ""))
                .containsExactly("group tag (none) -> New", "user (none) -> ana@contoso.com");
        assertThat(UpdateVerdict.changes(update(true, null, "ana@contoso.com", null, null), "Old", null))
                .containsExactly("user (none) -> ana@contoso.com");
    }

    @Test
    void comparesGroupTagsExactlyAndUsersIgnoringCase() {
        assertThat(UpdateVerdict.changes(update(true, "Kiosk", null, null, null), "kiosk", "")).containsExactly("group tag kiosk -> Kiosk");
        assertThat(UpdateVerdict.changes(update(true, null, "Ana@Contoso.com", null, null), "", "ana@contoso.com")).isEmpty();
    }

    @Test
    void sendsOnlyWhatDiffersFromWhatTheDeviceHadWhenFound() {
        PropertyUpdate tagOnly = UpdateVerdict.request(update(false, "New", "ana@contoso.com", "Old", "ANA@contoso.com"));
        PropertyUpdate both = UpdateVerdict.request(update(false, "New", "ana@contoso.com", "Old", ""));

        assertThat(tagOnly).isEqualTo(new PropertyUpdate("dev-1", "New", null));
        assertThat(both).isEqualTo(new PropertyUpdate("dev-1", "New", "ana@contoso.com"));
    }

    @Test
    void saysWhatChangedOnceTheUpdateIsDone() {
        DeviceOutcome updated = UpdateVerdict.updated(update(false, "New", "ana@contoso.com", "Old", ""));

        assertThat(updated.outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(updated.detail()).isEqualTo("group tag Old -> New; user (none) -> ana@contoso.com");
    }

    @Test
    void aDeviceThatHasItAlreadyIsUnchangedForAnUpdateOnlyLineAndAlreadyRegisteredForAnImport() {
        RegisteredDevice device = new RegisteredDevice("dev-1", "SN1", "Kiosk", "ana@contoso.com");

        DeviceOutcome updateOnly = UpdateVerdict.unchanged(update(true, "Kiosk", null, null, null), device);
        DeviceOutcome imported = UpdateVerdict.unchanged(update(false, "Kiosk", "ANA@contoso.com", null, null), device);

        assertThat(updateOnly).isEqualTo(DeviceOutcome.of(Outcome.UNCHANGED, "group tag already Kiosk"));
        assertThat(imported).isEqualTo(DeviceOutcome.of(Outcome.ALREADY_REGISTERED,
                "already registered in this tenant; group tag already Kiosk; user already ana@contoso.com"));
    }

    @Test
    void aSerialNumberNobodyRegisteredIsNotRegisteredAndNeedsAction() {
        DeviceOutcome updateOnly = UpdateVerdict.notFound(update(true, "Kiosk", null, null, null));
        DeviceOutcome imported = UpdateVerdict.notFound(update(false, "Kiosk", null, null, null));

        assertThat(updateOnly.outcome()).isEqualTo(Outcome.NOT_REGISTERED);
        assertThat(updateOnly.outcome().deadLettered()).isTrue();
        assertThat(updateOnly.detail()).startsWith("no Autopilot device with serial number SN1 is registered in this tenant");
        assertThat(imported.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(imported.detail()).startsWith("already registered in this tenant, but no Autopilot device with serial number SN1");
    }

    @Test
    void neverGuessesBetweenDevicesWithTheSameSerialNumber() {
        DeviceOutcome ambiguous = UpdateVerdict.ambiguous(update(true, "Kiosk", null, null, null),
                List.of(new RegisteredDevice("a", "SN1", "", ""), new RegisteredDevice("b", "sn1", "", "")));

        assertThat(ambiguous.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(ambiguous.detail()).startsWith("2 Autopilot devices are registered with serial number SN1 (ids a, b)");
    }

    @Test
    void triesAgainOnlyWhatMayPassAndKeepsGraphsWordsWhenItFails() {
        GraphException conflict = new GraphException(412, "ConditionNotMet", "busy", "req-1", null, false);

        assertThat(List.of(0, 412, 429, 500, 503, 504)).allSatisfy(status ->
                assertThat(UpdateVerdict.passing(new GraphException(status, null, "", null, null, false))).isTrue());
        assertThat(List.of(400, 401, 403, 404)).allSatisfy(status ->
                assertThat(UpdateVerdict.passing(new GraphException(status, null, "", null, null, false))).isFalse());
        DeviceOutcome failed = UpdateVerdict.failed(conflict, 5);
        assertThat(failed).extracting(DeviceOutcome::outcome, DeviceOutcome::errorCode, DeviceOutcome::errorName)
                .containsExactly(Outcome.FAILED, "412", "ConditionNotMet");
        assertThat(failed.detail()).contains("after 5 tries").contains("Graph answered 412 ConditionNotMet: busy (request-id req-1)");
    }
}
