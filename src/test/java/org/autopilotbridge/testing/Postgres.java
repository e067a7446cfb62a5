package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

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

    /** The same settings as command-line arguments, for a service in a JVM of its own. */
    public static List<String> arguments(Map<String, String> settings) {
        return settings.entrySet().stream().map(setting -> "--" + setting.getKey() + "=" + setting.getValue()).toList();
    }
}
