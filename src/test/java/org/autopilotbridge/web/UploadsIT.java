package org.autopilotbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.autopilotbridge.testing.PostgresLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * On a real PostgreSQL ledger, the statements that tell which of the inbox's files an upload became: the oldest file
 * of its name and content created after it and not already another upload's, in the uploads' order; looked for again
 * among newer files when its file's row goes (its reading started again from the start).
 */
class UploadsIT {

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    private static final String FLEET = "a".repeat(64);
    private static final String OTHER = "b".repeat(64);

    private final JdbcTemplate jdbc = LEDGER.jdbc();
    private final Uploads uploads = new Uploads(jdbc);

    @Test
    void linksEachUploadToTheFileTheInboxMadeOfItInTheOrderTheyCame() {
        file("fleet.csv", FLEET);
        uploads.record("u-first", new UploadWriter.Written("fleet.csv", FLEET, 10), uploads.newestFile(), "default");
        uploads.record("u-second", new UploadWriter.Written("fleet.csv", FLEET, 10), uploads.newestFile(), "default");
        file("fleet.csv", OTHER);
        file("dropped.csv", FLEET);
        uploads.link();
        assertThat(uploads.waiting()).as("the file before them, another content, another name: none theirs")
                .extracting(Uploads.Upload::id).containsExactlyInAnyOrder("u-first", "u-second");

        long first = file("fleet.csv", FLEET);
        long second = file("fleet.csv", FLEET);
        uploads.link();

        assertThat(uploads.find("u-first").orElseThrow().fileId()).isEqualTo(first);
        assertThat(uploads.find("u-second").orElseThrow().fileId()).isEqualTo(second);
        assertThat(uploads.waiting()).isEmpty();
        assertThat(uploads.find("u-none")).isEmpty();
    }

    @Test
    void findsTheFileAgainWhenItsReadingStartsAgainUnderANewRow() {
        uploads.record("u-again", new UploadWriter.Written("again.csv", FLEET, 10), uploads.newestFile(), "default");
        long read = file("again.csv", FLEET);
        uploads.link();
        assertThat(uploads.find("u-again").orElseThrow().fileId()).isEqualTo(read);

        jdbc.update("DELETE FROM hash_file WHERE id = ?", read);
        uploads.link();
        assertThat(uploads.find("u-again").orElseThrow().fileId()).as("waiting again").isNull();
        long readAgain = file("again.csv", FLEET);
        uploads.link();

        assertThat(uploads.find("u-again").orElseThrow().fileId()).isEqualTo(readAgain);
    }

    @Test
    void linksAnUploadOnlyToAFileOfItsOwnTenant() {
        uploads.record("u-contoso", new UploadWriter.Written("same.csv", OTHER, 10), uploads.newestFile(), "contoso");
        uploads.record("u-fabrikam", new UploadWriter.Written("same.csv", OTHER, 10), uploads.newestFile(), "fabrikam");
        long fabrikams = file("same.csv", OTHER, "fabrikam");
        long contosos = file("same.csv", OTHER, "contoso");
        uploads.link();

        assertThat(uploads.find("u-contoso").orElseThrow().fileId()).isEqualTo(contosos);
        assertThat(uploads.find("u-fabrikam").orElseThrow().fileId()).isEqualTo(fabrikams);
    }

    private long file(String name, String sha256) {
        return file(name, sha256, "default");
    }

    private long file(String name, String sha256, String tenant) {
        jdbc.update("""
                INSERT INTO hash_file (name, source, sha256, size_bytes, status, dry_run, received_at, tenant)
                VALUES (?, 'inbox', ?, 10, 'RECEIVING', FALSE, CURRENT_TIMESTAMP, ?)""", name, sha256, tenant);
        return jdbc.queryForObject("SELECT MAX(id) FROM hash_file", Long.class);
    }
}
