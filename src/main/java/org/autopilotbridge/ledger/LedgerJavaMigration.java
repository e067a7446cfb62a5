package org.autopilotbridge.ledger;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A version of the ledger's schema written in Java, for what SQL cannot say (a folder beside the ledger, a name H2
 * gave). A Spring bean: Spring Boot hands it to Flyway with the SQL migrations, in version order, each in its own
 * transaction.
 */
abstract class LedgerJavaMigration implements JavaMigration {

    private final MigrationVersion version;
    private final String description;

    LedgerJavaMigration(String version, String description) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
    }

    /** The migration's own connection, inside Flyway's transaction, which this template never closes. */
    static JdbcTemplate jdbc(Context context) {
        return new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true));
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }
}
