package org.autopilotbridge.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.flywaydb.core.api.migration.Context;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Ledger version 25, for the embedded ledger: the device table's foreign key to its file goes. H2 gives a foreign key
 * an index of its own even where another index starts with its column (device_line does), and every device row is
 * written twice on the hot path (recorded, then final), each time in every index of its table; the ledger's code
 * deletes a file's lines before the file, and finds them by device_line. Written in Java because H2 named the
 * constraint itself in version 1. PostgreSQL keeps its foreign key, which costs it no index.
 */
@Component
public class DeviceFileReference extends LedgerJavaMigration {

    public DeviceFileReference() {
        super("25", "device rows without an index of their own for their file reference (H2)");
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
            return;
        }
        JdbcTemplate jdbc = jdbc(context);
        List<String> references = jdbc.queryForList("""
                SELECT c.constraint_name FROM information_schema.table_constraints c
                JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
                WHERE c.table_name = 'DEVICE' AND c.constraint_type = 'FOREIGN KEY' AND k.column_name = 'FILE_ID'""", String.class);
        references.forEach(name -> jdbc.execute("ALTER TABLE device DROP CONSTRAINT \"" + name + "\""));
    }
}
