package org.autopilotbridge.preflight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.ledger.LedgerDataSource;
import org.springframework.stereotype.Component;

/**
 * Whether the ledger can be opened and read: through the service's own connections when it runs, or, for
 * {@code --check}, through a read-only connection that neither creates nor changes the database.
 */
@Component
class LedgerCheck {

    static final String NAME = "ledger";

    private final AutopilotProperties properties;
    private final DataSource ledger;

    LedgerCheck(AutopilotProperties properties, DataSource ledger) {
        this.properties = properties;
        this.ledger = ledger;
    }

    CheckResult check() {
        Path file = Path.of(LedgerDataSource.file(properties) + ".mv.db");
        if (!Files.exists(file)) {
            return CheckResult.ok(NAME, file + " does not exist yet and will be created at start");
        }
        try (Connection connection = ledger.getConnection(); Statement statement = connection.createStatement();
             ResultSet version = statement.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" "
                     + "WHERE \"success\" ORDER BY \"installed_rank\" DESC LIMIT 1")) {
            return CheckResult.ok(NAME, file + " opened, schema version " + (version.next() ? version.getString(1) : "none"));
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
}
