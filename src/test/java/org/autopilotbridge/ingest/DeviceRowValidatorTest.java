package org.autopilotbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;

import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.testing.HashFiles;
import org.junit.jupiter.api.Test;

class DeviceRowValidatorTest {

    private final DeviceRowValidator validator = new DeviceRowValidator();
    private final Random random = new Random(7);

    @Test
    void acceptsARealisticRowAndKeysTheSerialCaseInsensitively() {
        String hash = HashFiles.hash(random);
        RecordedLine line = validator.validate(new DeviceRow(2, "pf2abc12", hash, null, null, "ana@contoso.com", null), null);

        assertThat(line.outcome()).isNull();
        assertThat(line.hardwareHash()).isEqualTo(hash);
        assertThat(line.serialKey()).isEqualTo("PF2ABC12");
        assertThat(line.assignedUser()).isEqualTo("ana@contoso.com");
    }

    @Test
    void repairsMissingBase64PaddingInsteadOfRefusing() {
        String unpadded = HashFiles.unpaddedHash(random);
        RecordedLine line = validator.validate(row(unpadded), null);

        assertThat(unpadded.length() % 4).isNotZero();
        assertThat(line.outcome()).isNull();
        assertThat(line.hardwareHash()).hasSize(unpadded.length() + (4 - unpadded.length() % 4)).endsWith("=");
        assertThat(Base64.getDecoder().decode(line.hardwareHash())).isEqualTo(Base64.getDecoder().decode(unpadded));
    }

    @Test
    void takesAHashPaddedAlreadyAsItIsWithoutACopy() {
        for (int bytes = 2998; bytes <= 3000; bytes++) {
            byte[] blob = new byte[bytes];
            random.nextBytes(blob);
            String hash = Base64.getEncoder().encodeToString(blob);

            assertThat(DeviceRowValidator.paddedHash(hash)).as("%d bytes, ending %s", bytes, hash.substring(hash.length() - 3))
                    .isSameAs(hash);
        }
        assertThat(DeviceRowValidator.paddedHash("QUJD=")).as("padding that completes no group").isNull();
        assertThat(DeviceRowValidator.paddedHash("QUI==A==")).as("data after the padding").isNull();
    }

    @Test
    void dropsWhiteSpaceThatSpreadsheetsWrapIntoLongHashes() {
        String hash = HashFiles.hash(random);
        String wrapped = hash.substring(0, 1000) + " \n" + hash.substring(1000);

        assertThat(validator.validate(row(wrapped), null).hardwareHash()).isEqualTo(hash);
    }

    @Test
    void refusesWhatCannotBeAHardwareHashWithAReason() {
        assertRejected(row("this is not base64!"), "Hardware Hash is not valid base64");
        assertRejected(row(HashFiles.hash(random).substring(0, 401)), "not valid base64");
        assertRejected(row("T0FBQUFB"), "too short to be a hardware hash");
        assertRejected(row(HashFiles.hash(random) + "=="), "not valid base64");
        assertRejected(row("A".repeat(20_000)), "longer than 16384");
    }

    @Test
    void countsTheHashBytesWithAndWithoutPaddingAtTheLowerBound() {
        for (int bytes = 61; bytes <= 66; bytes++) {
            byte[] blob = new byte[bytes];
            random.nextBytes(blob);
            for (String hash : new String[] {Base64.getEncoder().encodeToString(blob),
                    Base64.getEncoder().withoutPadding().encodeToString(blob)}) {
                RecordedLine line = validator.validate(row(hash), null);
                if (bytes < 64) {
                    assertThat(line.detail()).as("%d bytes", bytes).contains("too short").contains("(" + bytes + " bytes)");
                } else {
                    assertThat(line.outcome()).as("%d bytes", bytes).isNull();
                }
            }
        }
    }

    @Test
    void refusesMissingOrImplausibleFieldsWithAReason() {
        String hash = HashFiles.hash(random);
        assertRejected(new DeviceRow(4, null, hash, null, null, null, null), "Device Serial Number is empty");
        assertRejected(new DeviceRow(4, "SN1", null, null, null, null, null), "Hardware Hash is empty");
        assertRejected(new DeviceRow(4, "S".repeat(129), hash, null, null, null, null), "longer than 128");
        assertRejected(new DeviceRow(4, "SN1", hash, null, "T".repeat(129), null, null), "Group Tag is longer");
        assertRejected(new DeviceRow(4, "SN1", hash, null, null, "ana", null), "not a user principal name");
    }

    @Test
    void takesTheGroupTagFromTheRowElseTheDefault() {
        String hash = HashFiles.hash(random);
        assertThat(validator.validate(new DeviceRow(2, "SN1", hash, null, "Kiosk", null, null), "Default").groupTag()).isEqualTo("Kiosk");
        assertThat(validator.validate(new DeviceRow(2, "SN1", hash, null, null, null, null), "Default").groupTag()).isEqualTo("Default");
    }

    @Test
    void keepsWhetherTheGroupTagIsTheLinesOwnOrTheDefault() {
        String hash = HashFiles.hash(random);
        assertThat(validator.validate(new DeviceRow(2, "SN1", hash, null, "Kiosk", null, null), "Default").ownGroupTag()).isTrue();
        assertThat(validator.validate(new DeviceRow(2, "SN1", hash, null, null, null, null), "Default").ownGroupTag()).isFalse();
    }

    @Test
    void readsALineWithoutAHashButWithItsOwnGroupTagOrUserAsAnUpdate() {
        RecordedLine retag = validator.validate(new DeviceRow(2, "sn1", null, null, "Kiosk", null, null), "Default");
        RecordedLine reassign = validator.validate(new DeviceRow(3, "SN2", null, "00330-80000", null, "ana@contoso.com", null), "Default");

        assertThat(retag.updateOnly()).isTrue();
        assertThat(retag.serialKey()).isEqualTo("SN1");
        assertThat(retag.groupTag()).isEqualTo("Kiosk");
        assertThat(retag.ownGroupTag()).isTrue();
        assertThat(reassign.updateOnly()).isTrue();
        assertThat(reassign.groupTag()).as("a default group tag is never given to a registered device").isNull();
        assertThat(reassign.assignedUser()).isEqualTo("ana@contoso.com");
        assertThat(validator.validate(new DeviceRow(2, "SN1", HashFiles.hash(random), null, "Kiosk", null, null), null).updateOnly())
                .isFalse();
    }

    @Test
    void rejectsALineWithNeitherHashNorGroupTagNorUserAndChecksAnUpdatesFieldsToo() {
        assertRejected(new DeviceRow(4, "SN1", null, null, null, null, null),
                "Hardware Hash is empty (a line without one must name a Group Tag, Assigned User or Device Name to update a "
                        + "registered device)");
        assertRejected(new DeviceRow(4, "SN1", null, null, null, "ana", null), "not a user principal name");
        assertRejected(new DeviceRow(4, "SN1", null, null, "T".repeat(129), null, null), "Group Tag is longer");
        assertRejected(new DeviceRow(4, null, null, null, "Kiosk", null, null), "Device Serial Number is empty");
    }

    @Test
    void keepsTheLinesDeviceNameAndReadsALineThatOnlyNamesItsDeviceAsAnUpdate() {
        String hash = HashFiles.hash(random);

        RecordedLine imported = validator.validate(new DeviceRow(2, "SN1", hash, null, null, null, "PC-0001"), "Default");
        RecordedLine rename = validator.validate(new DeviceRow(3, "SN2", null, null, null, null, "PC-0002"), "Default");

        assertThat(imported.outcome()).isNull();
        assertThat(imported.deviceName()).isEqualTo("PC-0001");
        assertThat(rename.updateOnly()).isTrue();
        assertThat(rename.deviceName()).isEqualTo("PC-0002");
        assertThat(rename.groupTag()).as("a default group tag is never given to a registered device").isNull();
    }

    @Test
    void rejectsALineWhoseDeviceNameWindowsCannotTakeWithTheRuleItBreaks() {
        String hash = HashFiles.hash(random);

        assertRejected(new DeviceRow(5, "SN1", hash, null, null, null, "PC-0001-CONTOSO1"), "Device Name 'PC-0001-CONTOSO1' is longer than 15");
        assertRejected(new DeviceRow(5, "SN1", null, null, "Kiosk", null, "PC 1"), "may contain only letters (a-z, A-Z), digits (0-9) and hyphens");
        assertRejected(new DeviceRow(5, "SN1", null, null, null, null, "2024"), "Device Name '2024' is digits only");
        assertRejected(new DeviceRow(5, "SN1", hash, null, null, null, "PC-%SERIAL%"), "uses a name template");
        assertThat(validator.validate(new DeviceRow(5, "SN1", hash, null, null, null, "2024"), null).deviceName())
                .as("a rejected line keeps no name to send").isNull();
    }

    private DeviceRow row(String hash) {
        return new DeviceRow(3, "SN1", hash, null, null, null, null);
    }

    private void assertRejected(DeviceRow row, String reason) {
        RecordedLine line = validator.validate(row, null);
        assertThat(line.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(line.detail()).contains(reason);
        assertThat(line.line()).isEqualTo(row.line());
    }
}
