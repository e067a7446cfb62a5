package org.autopilotbridge.testing;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import org.autopilotbridge.config.ClusterProperties;
import org.autopilotbridge.ledger.BatchLedger;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.HashSpool;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ledger.ProfileLedger;
import org.autopilotbridge.ledger.ThisInstance;
import org.autopilotbridge.ledger.UpdateLedger;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded ledger's schema, by its own migrations, in an H2 file of a test's folder, with the ledger classes over
 * it as the service wires them: fast tests of one stage's ledger work without starting the service.
 */
public record H2Ledger(JdbcTemplate jdbc, TransactionTemplate transaction, LedgerDialect dialect, ThisInstance instance,
                       BatchLedger batches, DeviceLedger devices, FileLedger files, UpdateLedger updates, ProfileLedger profiles) {

    /** With autopilot.profile-wait 0, its default: no device is followed for its deployment profile. */
    public static H2Ledger open(Path folder) throws SQLException {
        return open(folder, Duration.ZERO);
    }

    /** Imported and updated devices followed for {@code profileWait}, their first read due at once. */
    public static H2Ledger open(Path folder, Duration profileWait) throws SQLException {
        return open(folder, "file:" + folder.resolve("ledger"), profileWait);
    }

    /** The ledger at an H2 location of a test file system ({@link FullDisk}), its hash spool in {@code folder}. */
    public static H2Ledger open(Path folder, String location, Duration profileWait) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:" + location);
        h2.setUser("sa");
        HashSpool hashes = ServiceFolders.hashSpool(folder);
        Flyway.configure().dataSource(h2).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS)
                .javaMigrations(ServiceFolders.javaMigrations(hashes)).load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        LedgerDialect dialect = new LedgerDialect(h2);
        ThisInstance instance = new ThisInstance(new ClusterProperties());
        BatchLedger batches = new BatchLedger(jdbc, dialect, instance);
        ProfileLedger profiles = new ProfileLedger(jdbc, dialect, instance, profileWait, Duration.ZERO);
        UpdateLedger updates = new UpdateLedger(jdbc, dialect, instance, profiles);
        return new H2Ledger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(h2)), dialect, instance, batches,
                new DeviceLedger(jdbc, updates, batches, profiles, hashes), new FileLedger(jdbc, dialect, instance, hashes), updates, profiles);
    }
}
