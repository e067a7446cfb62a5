package org.autopilotbridge.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

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
        return DataSourceBuilder.create()
                // WRITE_DELAY=0: a commit is on disk before the next step acts on it, so a killed process loses
                // nothing it has committed (H2 would otherwise hold commits back for up to 500 ms).
                .url("jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")
                .username("sa")
                .password("")
                .build();
    }
}
