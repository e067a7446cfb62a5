package org.autopilotbridge.ledger;

import java.sql.PreparedStatement;
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

    /** A line's outcome, Graph's error code and name, and the detail (all null: none yet), from parameter {@code first} on. */
    static void setOutcome(PreparedStatement ps, int first, DeviceOutcome outcome) throws SQLException {
        ps.setString(first, outcome == null ? null : outcome.outcome().name());
        ps.setString(first + 1, outcome == null ? null : outcome.errorCode());
        ps.setString(first + 2, outcome == null ? null : outcome.errorName());
        ps.setString(first + 3, outcome == null ? null : truncate(outcome.detail(), 2000));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
