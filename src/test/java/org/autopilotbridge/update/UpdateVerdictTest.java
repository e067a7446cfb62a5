package org.autopilotbridge.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.autopilotbridge.graph.AutopilotDevices.PropertyUpdate;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.RegisteredDevice;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.DeviceUpdate;
import org.autopilotbridge.ledger.DeviceUpdate.Kind;
import org.autopilotbridge.ledger.Outcome;
import org.junit.jupiter.api.Test;

class UpdateVerdictTest {

    private static DeviceUpdate update(boolean updateOnly, String groupTag, String user, String foundTag, String foundUser) {
        return new DeviceUpdate(1, 2, updateOnly ? Kind.UPDATE_ONLY : Kind.REGISTERED, "SN1", groupTag, user, null, "dev-1",
                foundTag, foundUser, null, 0, "already registered in this tenant", false);
    }

    /** An update that names the device {@code name}, found named {@code foundName}. */
    private static DeviceUpdate naming(Kind kind, String groupTag, String name, String foundName) {
        return new DeviceUpdate(1, 2, kind, "SN1", groupTag, null, name, "dev-1", "Old", null, foundName, 0,
                kind == Kind.REGISTERED ? "already registered in this tenant" : null, false);
    }

    @Test
    void namesEachChangeAsOldToNewAndOnlyWhatTheLineAsksFor() {
        assertThat(UpdateVerdict.changes(update(true, "New", null, null, null), "Old", "bob@contoso.com", null))
                .containsExactly("group tag Old -> New");
        assertThat(UpdateVerdict.changes(update(true, "New", "ana@contoso.com", null, null), "", "", null))
                .containsExactly("group tag (none) -> New", "user (none) -> ana@contoso.com");
        assertThat(UpdateVerdict.changes(update(true, null, "ana@contoso.com", null, null), "Old", null, null))
                .containsExactly("user (none) -> ana@contoso.com");
    }

    @Test
    void comparesGroupTagsExactlyAndUsersIgnoringCase() {
        assertThat(UpdateVerdict.changes(update(true, "Kiosk", null, null, null), "kiosk", "", null)).containsExactly("group tag kiosk -> Kiosk");
        assertThat(UpdateVerdict.changes(update(true, null, "Ana@Contoso.com", null, null), "", "ana@contoso.com", null)).isEmpty();
    }

    @Test
    void sendsOnlyWhatDiffersFromWhatTheDeviceHadWhenFound() {
        PropertyUpdate tagOnly = UpdateVerdict.request(update(false, "New", "ana@contoso.com", "Old", "ANA@contoso.com"));
        PropertyUpdate both = UpdateVerdict.request(update(false, "New", "ana@contoso.com", "Old", ""));

        assertThat(tagOnly).isEqualTo(new PropertyUpdate("dev-1", "New", null, null));
        assertThat(both).isEqualTo(new PropertyUpdate("dev-1", "New", "ana@contoso.com", null));
    }

    @Test
    void saysWhatChangedOnceTheUpdateIsDone() {
        DeviceOutcome updated = UpdateVerdict.updated(update(false, "New", "ana@contoso.com", "Old", ""));

        assertThat(updated.outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(updated.detail()).isEqualTo("group tag Old -> New; user (none) -> ana@contoso.com");
    }

    @Test
    void aDeviceThatHasItAlreadyIsUnchangedForAnUpdateOnlyLineAndAlreadyRegisteredForAnImport() {
        RegisteredDevice device = new RegisteredDevice("dev-1", "SN1", "Kiosk", "ana@contoso.com", null);

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
                List.of(new RegisteredDevice("a", "SN1", "", "", null), new RegisteredDevice("b", "sn1", "", "", null)));

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
        DeviceOutcome failed = UpdateVerdict.failed(update(true, "Kiosk", null, null, null), conflict, 5);
        assertThat(failed).extracting(DeviceOutcome::outcome, DeviceOutcome::errorCode, DeviceOutcome::errorName)
                .containsExactly(Outcome.FAILED, "412", "ConditionNotMet");
        assertThat(failed.detail()).contains("after 5 tries").contains("Graph answered 412 ConditionNotMet: busy (request-id req-1)");
    }

    @Test
    void namesTheDeviceAsTheLineSaysAndSendsTheNameOnlyWhenItDiffersExactly() {
        assertThat(UpdateVerdict.changes(naming(Kind.UPDATE_ONLY, null, "PC-0001", null), "Old", "", "")).containsExactly("name PC-0001");
        assertThat(UpdateVerdict.changes(naming(Kind.UPDATE_ONLY, null, "PC-0001", null), "Old", "", "pc-0001"))
                .containsExactly("name PC-0001");
        assertThat(UpdateVerdict.changes(naming(Kind.UPDATE_ONLY, null, "PC-0001", null), "Old", "", "PC-0001")).isEmpty();
        assertThat(UpdateVerdict.request(naming(Kind.REGISTERED, "New", "PC-0001", "")))
                .as("tag and name together: one call").isEqualTo(new PropertyUpdate("dev-1", "New", null, "PC-0001"));
        assertThat(UpdateVerdict.request(naming(Kind.REGISTERED, "Old", "PC-0001", "PC-0001"))).isEqualTo(new PropertyUpdate("dev-1", null, null, null));
    }

    @Test
    void aDeviceNamedAfterItsOwnImportStaysImportedAndSaysItsName() {
        DeviceUpdate afterImport = naming(Kind.IMPORTED, null, "PC-0001", null);
        GraphException refused = new GraphException(400, "BadRequest", "no", null, null, false);

        assertThat(UpdateVerdict.updated(afterImport)).isEqualTo(DeviceOutcome.of(Outcome.IMPORTED, "name PC-0001"));
        assertThat(UpdateVerdict.updated(naming(Kind.REGISTERED, "New", "PC-0001", "")))
                .isEqualTo(DeviceOutcome.of(Outcome.UPDATED, "group tag Old -> New; name PC-0001"));
        assertThat(UpdateVerdict.unchanged(afterImport, new RegisteredDevice("dev-1", "SN1", "", "", "PC-0001")))
                .isEqualTo(DeviceOutcome.of(Outcome.IMPORTED, "name already PC-0001"));
        assertThat(UpdateVerdict.failed(afterImport, refused, 1).detail())
                .startsWith("imported, but the registered device's name could not be changed: Graph answered 400");
        assertThat(UpdateVerdict.notShown(naming(Kind.REGISTERED, "New", "PC-0001", ""), 3).detail())
                .startsWith("the registered device's group tag and name could not be changed after 3 tries");
        assertThat(UpdateVerdict.notFound(afterImport).detail())
                .startsWith("imported, but no Autopilot device with serial number SN1 could be found to change: its name is not changed");
    }
}
