package org.autopilotbridge.ledger;

import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.install.WorkFolders;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The ledger lives in an H2 file database under {@code autopilot.data-dir}. The URL is built from the resolved
 * path because H2 refuses implicitly relative paths, and the data directory is a setting the admin chooses.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerDataSource {

    /** The ledger's database file, without H2's {@code .mv.db}. */
    public static Path file(AutopilotProperties properties) {
        return properties.getDataDir().resolve("ledger");
    }

    /** Opened only once the data folder is known to exist and to be writable. */
    @Bean
    @DependsOn(WorkFolders.BEAN)
    DataSource dataSource(AutopilotProperties properties) {
        HikariDataSource pool = DataSourceBuilder.create().type(HikariDataSource.class)
                // WRITE_DELAY=0: a commit is on disk before the next step acts on it, so a killed process loses
                // nothing it has committed (H2 would otherwise hold commits back for up to 500 ms).
                .url("jdbc:h2:file:" + file(properties) + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")
                .username("sa")
                .password("")
                .build();
        // A connection for every worker of the submit, track and clean-up routes, and for inbox, finish, sync and
        // health checks, so no worker waits for the ledger while Graph calls are in flight.
        pool.setMaximumPoolSize(3 * properties.getGraphConcurrency() + 4);
        return pool;
    }
}
