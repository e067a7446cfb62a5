package org.autopilotbridge.ledger;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import org.autopilotbridge.config.ClusterProperties;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.testing.ServiceFolders;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The service's own ledger in a folder, outside Spring, for the benchmark: the data source the service opens
 * (same database URL and settings), its schema by its own migrations, and each chunk of lines recorded in one
 * transaction, as {@link DeviceLedger#recordLines} is inside the service.
 */
public final class LedgerOnDisk implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;
    private final DeviceLedger devices;
    private final FileLedger files;
    private final TransactionTemplate transaction;

    public LedgerOnDisk(Path folder) {
        FolderProperties properties = new FolderProperties();
        properties.setDataDir(folder.toAbsolutePath());
        this.dataSource = (HikariDataSource) new LedgerDataSource().dataSource(properties, new GraphProperties(), new DataSourceProperties());
        HashSpool hashes = new HashSpool(properties);
        Flyway.configure().dataSource(dataSource).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS)
                .javaMigrations(ServiceFolders.javaMigrations(hashes)).load().migrate();
        this.jdbc = new JdbcTemplate(dataSource);
        try {
            LedgerDialect dialect = new LedgerDialect(dataSource);
            ThisInstance instance = new ThisInstance(new ClusterProperties());
            ProfileLedger profiles = new ProfileLedger(jdbc, dialect, instance, Duration.ZERO, Duration.ZERO);
            this.devices = new DeviceLedger(jdbc, new UpdateLedger(jdbc, dialect, instance, profiles), new BatchLedger(jdbc, dialect, instance),
                    profiles, hashes);
            this.files = new FileLedger(jdbc, dialect, instance, hashes);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** A new file in the ledger, as the inbox route starts one; returns its id. */
    public long startFile(String name, long sizeBytes) {
        return files.startFile(name, "inbox", "0".repeat(64), sizeBytes, "UTF-8", false, "default");
    }

    /** Records a chunk of the file's lines in one transaction. */
    public void recordLines(long fileId, List<RecordedLine> lines) {
        transaction.executeWithoutResult(status -> devices.recordLines(fileId, lines, false, true, 500));
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public FileLedger files() {
        return files;
    }

    public DeviceLedger devices() {
        return devices;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
