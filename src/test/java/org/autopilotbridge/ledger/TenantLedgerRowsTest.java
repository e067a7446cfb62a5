package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.autopilotbridge.testing.H2Ledger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row a file's lines make carries the file's tenant, in the embedded ledger as the service opens it: the rules
 * that find "the same" device look within one tenant only, and only the work of the tenants that may be claimed for
 * (not of one whose Graph cannot be used) is claimed.
 */
class TenantLedgerRowsTest {

    private static final int SIZE = 2;

    @TempDir
    Path dir;

    private H2Ledger ledger;

    @BeforeEach
    void ledger() throws Exception {
        ledger = H2Ledger.open(dir);
    }

    @Test
    void aTenantWhoseGraphIsHeldKeepsItsBatchesWhileAnotherTenantsAreClaimed() {
        long contoso = file("contoso", "aa", "C-1", "C-2");
        long fabrikam = file("fabrikam", "bb", "F-1", "F-2");

        // contoso's Graph is held: only fabrikam's work may be claimed.
        ImportBatch claimed = ledger.batches().claimFormed(Set.of("fabrikam")).orElseThrow();
        assertThat(claimed.fileId()).isEqualTo(fabrikam);
        assertThat(claimed.tenant()).isEqualTo("fabrikam");
        assertThat(ledger.batches().claimFormed(Set.of("fabrikam"))).as("contoso's batch waits while its Graph is held").isEmpty();
        assertThat(ledger.batches().openNextBatch(SIZE, Set.of("fabrikam"))).isEmpty();
        assertThat(ledger.batches().claimFormed(Set.of())).as("no tenant may be claimed for").isEmpty();

        ImportBatch later = ledger.batches().claimFormed(Set.of("contoso", "fabrikam")).orElseThrow();
        assertThat(later.fileId()).isEqualTo(contoso);
        assertThat(later.tenant()).isEqualTo("contoso");
        assertThat(ledger.jdbc().queryForList("SELECT DISTINCT tenant FROM device WHERE file_id = ?", String.class, contoso))
                .containsExactly("contoso");
    }

    @Test
    void aSerialRegisteredInOneTenantIsANewDeviceInAnother() {
        long first = file("contoso", "cc", "SAME-1", "C-9");
        ledger.jdbc().update("UPDATE device SET outcome = ? WHERE file_id = ?", Outcome.IMPORTED.name(), first);

        long otherTenant = file("fabrikam", "dd", "SAME-1", "F-9");
        long sameTenant = file("contoso", "ee", "SAME-1", "C-8");

        assertThat(outcomes(otherTenant)).as("fabrikam never registered SAME-1").containsOnlyNulls();
        assertThat(outcomes(sameTenant)).containsExactly(Outcome.ALREADY_REGISTERED.name(), null);
    }

    private long file(String tenant, String sha, String... serials) {
        long file = ledger.files().startFile(tenant + ".csv", "inbox", sha.repeat(32), 100, "UTF-8", false, tenant);
        List<RecordedLine> lines = new ArrayList<>();
        for (int i = 0; i < serials.length; i++) {
            lines.add(new RecordedLine(i + 2, serials[i], serials[i], "T0Fhash" + i, null, null, null, null, null, null, false));
        }
        ledger.transaction().executeWithoutResult(status -> ledger.devices().recordLines(file, lines, false, false, SIZE));
        return file;
    }

    private List<String> outcomes(long file) {
        return ledger.jdbc().queryForList("SELECT outcome FROM device WHERE file_id = ? ORDER BY line_no", String.class, file);
    }
}
