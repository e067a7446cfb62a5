package org.autopilotbridge.preflight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.ledger.LedgerDataSource;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether the ledger can be opened and read: through the service's own connections when it runs, or, for
 * {@code --check}, through a read-only connection that neither creates nor changes the database. The embedded ledger
 * is an H2 file; a shared one the PostgreSQL database of {@code spring.datasource.url}.
 */
@Component
class LedgerCheck {

    static final String NAME = "ledger";

    private final FolderProperties properties;
    private final DataSource ledger;
    private final String sharedUrl;

    LedgerCheck(FolderProperties properties, DataSource ledger, Environment environment) {
        this.properties = properties;
        this.ledger = ledger;
        this.sharedUrl = environment.getProperty("spring.datasource.url", "");
    }

    CheckResult check() {
        if (!sharedUrl.isBlank()) {
            return checkShared();
        }
        Path file = Path.of(LedgerDataSource.file(properties) + ".mv.db");
        if (!Files.exists(file)) {
            return CheckResult.ok(NAME, file + " does not exist yet and will be created at start");
        }
        try (Connection connection = ledger.getConnection()) {
            return CheckResult.ok(NAME, file + " opened, schema version " + version(connection));
        } catch (SQLException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            if (reason.contains("already in use")) {
                return CheckResult.ok(NAME, file + " is in use by a running instance of the service (not opened here; "
                        + "its /actuator/health/readiness shows the ledger)");
            }
            return CheckResult.fail(NAME, "cannot open " + file + ": " + reason,
                    "Make the file readable and writable by the service's user, or restore autopilot.data-dir from its backup");
        }
    }

    private CheckResult checkShared() {
        String database = sharedUrl.replaceAll("\\?.*", "");
        try (Connection connection = ledger.getConnection()) {
            return CheckResult.ok(NAME, database + " opened, schema version " + version(connection));
        } catch (SQLException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            if (reason.contains("flyway_schema_history")) {
                return CheckResult.ok(NAME, database + " opened; its schema is created at the service's first start");
            }
            return CheckResult.fail(NAME, "cannot open " + database + ": " + reason, "Check spring.datasource.url, and "
                    + "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD in the environment; the database must "
                    + "exist and this user may create tables in it");
        }
    }

    /** The ledger's schema version, as Flyway recorded it. */
    private static String version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet version = statement.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" "
                     + "WHERE \"success\" ORDER BY \"installed_rank\" DESC LIMIT 1")) {
            return version.next() ? version.getString(1) : "none";
        }
    }
}
