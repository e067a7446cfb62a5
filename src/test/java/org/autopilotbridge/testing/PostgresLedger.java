package org.autopilotbridge.testing;

import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;

import org.autopilotbridge.config.ClusterProperties;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ledger.ThisInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A migrated PostgreSQL ledger of its own for a test class that works on the ledger outside Spring, as several
 * instances in one JVM do: {@code @RegisterExtension static final PostgresLedger LEDGER = new PostgresLedger(4);}.
 */
public final class PostgresLedger implements BeforeAllCallback, AfterAllCallback {

    private final int connections;
    private HikariDataSource database;
    private JdbcTemplate jdbc;

    public PostgresLedger(int connections) {
        this.connections = connections;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = Postgres.newLedger(connections);
        jdbc = new JdbcTemplate(database);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        database.close();
    }

    public HikariDataSource dataSource() {
        return database;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public LedgerDialect dialect() throws SQLException {
        return new LedgerDialect(database);
    }

    /** An instance of the service by its name in the ledger. */
    public static ThisInstance instance(String id) {
        ClusterProperties properties = new ClusterProperties();
        properties.setInstanceId(id);
        return new ThisInstance(properties);
    }

    /** A file read to its end, its id. */
    public long recordedFile(String name) {
        jdbc.update("""
                INSERT INTO hash_file (name, source, sha256, size_bytes, status, dry_run, received_at)
                VALUES (?, 'inbox', ?, 1, 'RECORDED', FALSE, CURRENT_TIMESTAMP)""", name, "0".repeat(64));
        return jdbc.queryForObject("SELECT MAX(id) FROM hash_file", Long.class);
    }
}
