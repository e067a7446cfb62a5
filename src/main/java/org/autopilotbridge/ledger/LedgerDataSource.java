package org.autopilotbridge.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.autopilotbridge.AutopilotProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ledger lives in an H2 file database under {@code autopilot.data-dir}. The URL is built from the resolved
 * path because H2 refuses implicitly relative paths, and the data directory is a setting the admin chooses.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerDataSource {

    @Bean
    DataSource dataSource(AutopilotProperties properties) throws IOException {
        Path dir = properties.getDataDir().toAbsolutePath().normalize();
        Files.createDirectories(dir);
        HikariDataSource pool = DataSourceBuilder.create().type(HikariDataSource.class)
                // WRITE_DELAY=0: a commit is on disk before the next step acts on it, so a killed process loses
                // nothing it has committed (H2 would otherwise hold commits back for up to 500 ms).
                .url("jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")
                .username("sa")
                .password("")
                .build();
        // A connection for every worker of the submit, track and clean-up routes, and for inbox, finish, sync and
        // health checks, so no worker waits for the ledger while Graph calls are in flight.
        pool.setMaximumPoolSize(3 * properties.getGraphConcurrency() + 4);
        return pool;
    }
}
