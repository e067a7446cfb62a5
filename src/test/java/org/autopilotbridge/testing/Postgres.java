package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL server for the tests that are about PostgreSQL, started once per test JVM on a free port; each
 * test class gets a database of its own.
 */
public final class Postgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private Postgres() {
    }

    /** A new, empty database on the server, as the service's settings that point at it. */
    public static synchronized Map<String, String> newDatabase() {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
            }
            String name = "ledger_" + DATABASES.incrementAndGet();
            try (Connection admin = server.getPostgresDatabase().getConnection(); Statement create = admin.createStatement()) {
                create.execute("CREATE DATABASE " + name);
            }
            return Map.of("spring.datasource.url", server.getJdbcUrl("postgres", name),
                    "spring.datasource.username", "postgres", "spring.datasource.password", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A new database with the ledger's PostgreSQL schema, as a pool of up to {@code connections}, for tests that work
     * on the ledger outside Spring (several instances in one JVM).
     */
    public static HikariDataSource newLedger(int connections) {
        Map<String, String> settings = newDatabase();
        HikariDataSource ledger = new HikariDataSource();
        ledger.setJdbcUrl(settings.get("spring.datasource.url"));
        ledger.setUsername(settings.get("spring.datasource.username"));
        ledger.setPassword(settings.get("spring.datasource.password"));
        ledger.setMaximumPoolSize(connections);
        Flyway.configure().dataSource(ledger).locations("classpath:db/migration/common", "classpath:db/migration/postgresql")
                .load().migrate();
        return ledger;
    }

    /** The same settings as command-line arguments, for a service in a JVM of its own. */
    public static List<String> arguments(Map<String, String> settings) {
        return settings.entrySet().stream().map(setting -> "--" + setting.getKey() + "=" + setting.getValue()).toList();
    }
}
