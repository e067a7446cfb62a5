package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.autopilotbridge.testing.H2Ledger;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following deployment profiles in the embedded ledger as the service opens it: an imported device is followed from the
 * transaction that records its import, its file is not reported until the following ends, and each end is what the
 * results file reads; with autopilot.profile-wait 0 nothing is followed and the file is reported as before.
 */
class ProfileLedgerTest {

    @TempDir
    Path dir;

    @Test
    void anImportedDeviceHoldsItsFileUntilItsProfileIsFollowedToTheEnd() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir, Duration.ofHours(2));
        long file = importedFile(ledger, "reg-1", "reg-2");

        assertThat(ledger.profiles().waiting()).isEqualTo(2);
        assertThat(ledger.files().filesReadyToReport()).as("held while its devices are followed").isEmpty();
        List<ProfileFollow> claimed = ledger.profiles().claimNext(20, "default");
        assertThat(claimed).extracting(ProfileFollow::registeredId).containsExactly("reg-1", "reg-2");
        assertThat(claimed.get(0).deadline()).isBetween(Instant.now().plus(Duration.ofMinutes(119)), Instant.now().plus(Duration.ofHours(2)));
        assertThat(ledger.profiles().claimNext(20, "default")).as("leased to this instance").isEmpty();

        ledger.profiles().record(List.of(new ProfileLedger.Later(claimed.get(1), Instant.now(), "pending")),
                List.of(new ProfileLedger.Ended(claimed.get(0), ProfileStatus.ASSIGNED, "Contoso user-driven", null)));
        assertThat(ledger.profiles().waiting()).isEqualTo(1);
        ProfileFollow again = ledger.profiles().claimNext(20, "default").get(0);
        assertThat(again.reads()).isEqualTo(1);
        assertThat(again.seenStatus()).isEqualTo("pending");
        ledger.profiles().record(List.of(), List.of(new ProfileLedger.Ended(again, ProfileStatus.FAILED, null, "why")));

        assertThat(ledger.profiles().nextDue()).isEmpty();
        assertThat(ledger.files().filesReadyToReport()).extracting(HashFile::id).containsExactly(file);
        assertThat(ledger.profiles().statusCounts(file)).containsEntry(ProfileStatus.ASSIGNED, 1).containsEntry(ProfileStatus.FAILED, 1);
        List<ResultLine> lines = new ArrayList<>();
        new ReportLines(ledger.jdbc(), ledger.transaction().getTransactionManager(), ServiceFolders.hashSpool(dir)).forEachResultLine(file, lines::add);
        assertThat(lines).extracting(ResultLine::profile).containsExactly(
                new FollowedProfile(ProfileStatus.ASSIGNED, "Contoso user-driven", null), new FollowedProfile(ProfileStatus.FAILED, null, "why"));
    }

    @Test
    void aReadGivenBackIsReadAgainAndALeaseOfAnotherInstanceIsLeftToIt() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir, Duration.ofHours(2));
        importedFile(ledger, "reg-1");
        List<ProfileFollow> claimed = ledger.profiles().claimNext(20, "default");

        ledger.profiles().release(claimed);
        List<ProfileFollow> again = ledger.profiles().claimNext(20, "default");
        assertThat(again).extracting(ProfileFollow::reads).containsExactly(0);

        ledger.jdbc().update("UPDATE profile_follow SET lease_owner = 'another-instance'");
        ledger.profiles().record(List.of(), List.of(new ProfileLedger.Ended(again.get(0), ProfileStatus.ASSIGNED, "P", null)));
        assertThat(ledger.profiles().waiting()).as("not this instance's to end").isEqualTo(1);
    }

    @Test
    void withTheWaitOffNothingIsFollowedAndTheFileIsReportedAtOnce() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir);
        long file = importedFile(ledger, "reg-1");

        assertThat(ledger.profiles().waiting()).isZero();
        assertThat(ledger.files().filesReadyToReport()).extracting(HashFile::id).containsExactly(file);
    }

    /** A recorded file whose devices completed their import as the registered devices {@code registeredIds}. */
    private static long importedFile(H2Ledger ledger, String... registeredIds) {
        long file = ledger.files().startFile("a.csv", "inbox", "ab".repeat(32), 100, "UTF-8", false, "default");
        List<RecordedLine> lines = new ArrayList<>();
        for (int i = 0; i < registeredIds.length; i++) {
            lines.add(new RecordedLine(i + 2, "S-" + i, "S-" + i, "T0Fhash" + i, null, null, null, null, null, null, false));
        }
        ledger.transaction().executeWithoutResult(status -> ledger.devices().recordLines(file, lines, false, false, 500));
        ledger.files().sealFile(file, false, null);
        List<PolledDevice> polled = new ArrayList<>();
        for (int i = 0; i < registeredIds.length; i++) {
            long device = ledger.jdbc().queryForObject("SELECT id FROM device WHERE file_id = ? AND line_no = ?", Long.class, file, i + 2);
            polled.add(new PolledDevice(device, "g-" + i, "complete", registeredIds[i], DeviceOutcome.of(Outcome.IMPORTED, null)));
        }
        ledger.devices().recordPolled(polled);
        ledger.jdbc().update("UPDATE import_batch SET status = ? WHERE file_id = ?", BatchStatus.DONE.name(), file);
        return file;
    }
}
