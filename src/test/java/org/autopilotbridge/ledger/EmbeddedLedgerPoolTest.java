package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import org.autopilotbridge.testing.FullDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded ledger's pool after its disk filled up: H2 closes the database at the first write that fails, and its
 * connections still pass the pool's check. The ledger must work again once there is room, without a restart.
 */
class EmbeddedLedgerPoolTest {

    @Test
    void aLedgerClosedByAFullDiskWorksAgainOnceThereIsRoom(@TempDir Path dir) throws SQLException {
        try (HikariDataSource pool = LedgerDataSource.embeddedPool(FullDisk.location(dir.resolve("ledger")))) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            jdbc.execute("CREATE TABLE line (id BIGINT PRIMARY KEY, text VARCHAR(40))");
            jdbc.update("INSERT INTO line VALUES (1, 'before the disk filled')");
            // Every connection of the pool open, as in a busy service, not only those its background has made so far.
            close(borrowAll(pool));

            FullDisk.fill(dir);
            try {
                assertThatThrownBy(() -> jdbc.update("INSERT INTO line VALUES (2, 'while it was full')"))
                        .isInstanceOf(DataAccessException.class).hasStackTraceContaining("No space left on device");
                assertThatThrownBy(() -> jdbc.queryForObject("SELECT COUNT(*) FROM line", Long.class))
                        .isInstanceOf(DataAccessException.class).hasMessageContaining("closed");
            } finally {
                FullDisk.free(dir);
            }

            // Every connection the pool held was to the closed database: none may fail a statement now, each worker
            // holding one of its own.
            List<Connection> workers = borrowAll(pool);
            try {
                for (int i = 0; i < workers.size(); i++) {
                    try (Statement insert = workers.get(i).createStatement()) {
                        insert.execute("INSERT INTO line VALUES (" + (3 + i) + ", 'after room was made')");
                    }
                }
            } finally {
                close(workers);
            }
            assertThat(jdbc.queryForList("SELECT text FROM line ORDER BY id", String.class))
                    .startsWith("before the disk filled", "after room was made").hasSize(1 + pool.getMaximumPoolSize());
        }
    }

    private static List<Connection> borrowAll(HikariDataSource pool) throws SQLException {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
            all.add(pool.getConnection());
        }
        return all;
    }

    private static void close(List<Connection> connections) throws SQLException {
        for (Connection connection : connections) {
            connection.close();
        }
    }
}
