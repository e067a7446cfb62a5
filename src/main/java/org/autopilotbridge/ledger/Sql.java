package org.autopilotbridge.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Small conversions every part of the ledger uses. */
final class Sql {

    private Sql() {
    }

    static Timestamp now() {
        return ts(Instant.now());
    }

    static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
