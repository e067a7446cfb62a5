package org.autopilotbridge.web;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.autopilotbridge.ledger.HashFile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The uploads' own records in the ledger (table web_upload). An upload is answered before the inbox takes it, and
 * the ledger gives a file its row only when it takes it; so an upload's id is its own, and its row names the file's
 * row once there is one: the oldest row of the drop folder with the upload's inbox name and content created after
 * the upload, and not already another upload's. Uploads are matched oldest first, so two uploads of the same content
 * under the same name keep their order.
 */
@Component
class Uploads {

    /** An upload, and the ledger's file of it once the inbox took it (null before). */
    record Upload(String id, String name, Instant uploadedAt, Long fileId) {
    }

    private static final RowMapper<Upload> UPLOAD = (rs, n) -> new Upload(rs.getString("id"), rs.getString("inbox_name"),
            rs.getTimestamp("uploaded_at").toInstant(), rs.getObject("file_id", Long.class));

    private final JdbcTemplate jdbc;

    Uploads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest file the ledger knows now: the upload's own row will be newer. */
    long newestFile() {
        return jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM hash_file", Long.class);
    }

    void record(String id, UploadWriter.Written written, long afterFile, String tenant) {
        jdbc.update("""
                INSERT INTO web_upload (id, inbox_name, sha256, size_bytes, uploaded_at, after_file_id, tenant)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", id, written.inboxName(), written.sha256(), written.size(),
                Timestamp.from(Instant.now()), afterFile, tenant);
    }

    /**
     * Links uploads to the files the inbox made of them. A file whose row went away (its reading is started again
     * from the start under a new row, or retention removed it) is looked for again among the rows newer than it.
     */
    void link() {
        jdbc.update("""
                UPDATE web_upload SET after_file_id = file_id, file_id = NULL
                WHERE file_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hash_file f WHERE f.id = web_upload.file_id)""");
        for (String id : jdbc.queryForList("SELECT id FROM web_upload WHERE file_id IS NULL ORDER BY uploaded_at, id", String.class)) {
            jdbc.update("""
                    UPDATE web_upload SET file_id = (
                        SELECT MIN(f.id) FROM hash_file f
                        WHERE f.source = ? AND f.tenant = web_upload.tenant AND f.name = web_upload.inbox_name
                          AND f.sha256 = web_upload.sha256
                          AND f.id > web_upload.after_file_id
                          AND NOT EXISTS (SELECT 1 FROM web_upload o WHERE o.file_id = f.id))
                    WHERE id = ? AND file_id IS NULL""", HashFile.DROP_FOLDER, id);
        }
    }

    /** Uploads still waiting in the inbox, newest first. */
    List<Upload> waiting() {
        return jdbc.query("SELECT * FROM web_upload WHERE file_id IS NULL ORDER BY uploaded_at DESC, id", UPLOAD);
    }

    Optional<Upload> find(String id) {
        return jdbc.query("SELECT * FROM web_upload WHERE id = ?", UPLOAD, id).stream().findFirst();
    }
}
