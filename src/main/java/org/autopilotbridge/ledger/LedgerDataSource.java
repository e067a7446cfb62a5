package org.autopilotbridge.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.install.StartupRefusedException;
import org.autopilotbridge.install.WorkFolders;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The ledger's database. With {@code spring.datasource.url} set (jdbc:postgresql://..., with user and password
 * from the environment) it is that database, which several instances share. Without it, an H2 file under
 * {@code autopilot.data-dir}, for one instance: the URL is built from the resolved path because H2 refuses
 * implicitly relative paths, and a second instance on the same file is refused at start-up.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerDataSource {

    /** H2's error code for a database file another process holds open. */
    private static final int H2_IN_USE = 90020;
    /** H2's "The database has been closed": after a write failed (a full disk), on every connection to it. */
    private static final int H2_CLOSED = 90098;

    /** The embedded ledger's database file, without H2's {@code .mv.db}. */
    public static Path file(FolderProperties properties) {
        return properties.getDataDir().resolve("ledger");
    }

    /**
     * The embedded ledger's URL for an H2 database location ({@code file:/...}). WRITE_DELAY=0: a commit is written to
     * the file before the next step acts on it, so a killed process loses nothing it has committed (H2 would otherwise
     * hold commits back for up to 500 ms); a claim that must also survive a host crash is forced to the device
     * ({@link LedgerDialect#durableOnCommit}). QUERY_CACHE_SIZE=0: H2 otherwise keeps each connection's last eight
     * statements compiled, with what they last found, and a statement run again could answer with what it found before
     * another connection's commit: the query for files ready to report answered "none" for up to 49 s after a file's last
     * batch settled, in 12 of 26 runs by hand at 100,000 devices, and in none of 6 without the cache (docs/performance.md).
     */
    static String embeddedUrl(String location) {
        return "jdbc:h2:" + location + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=0";
    }

    /**
     * The pool of an embedded ledger at an H2 location. H2 closes its database when a write to the file fails (a full
     * disk) and its connections still pass the pool's check, so the pool would hand out dead connections until a
     * restart, long after room was made: every connection to it is dropped instead (those in use as their work gives
     * them back; until then H2 finds the file in use), and the next one opens the database again from its file, which
     * holds every commit before the failed one.
     */
    static HikariDataSource embeddedPool(String location) {
        HikariDataSource pool = DataSourceBuilder.create().type(HikariDataSource.class)
                .url(embeddedUrl(location))
                .username("sa")
                .password("")
                .build();
        pool.setExceptionOverride(new DropClosedDatabase(pool));
        return pool;
    }

    /** Opened only once the data folder is known to exist and to be writable. */
    @Bean
    @DependsOn(WorkFolders.BEAN)
    DataSource dataSource(FolderProperties properties, GraphProperties graph, DataSourceProperties database) {
        boolean shared = database.getUrl() != null && !database.getUrl().isBlank();
        HikariDataSource pool = shared ? database.initializeDataSourceBuilder().type(HikariDataSource.class).build()
                : embeddedPool("file:" + file(properties));
        if (shared) {
            boundWaits(pool);
        }
        // A connection for every worker of the submit, track and clean-up routes, and for inbox, finish, sync, the
        // leases and health checks, so no worker waits for the ledger while Graph calls are in flight.
        pool.setMaximumPoolSize(3 * graph.getGraphConcurrency() + 6);
        if (!shared) {
            refuseASecondInstance(pool, properties);
        }
        return pool;
    }

    /**
     * No wait on a shared ledger is unbounded, so a worker never hangs on a database that failed over or a row another
     * instance holds locked, and a lease it holds runs out instead of being kept by a stuck connection:
     * <ul>
     * <li>socketTimeout 60 s: a read from a server that went away (fail-over, a dropped network path) fails instead of
     * waiting for the operating system's TCP time-out, which can be hours;</li>
     * <li>lock_timeout 10 s: a statement waiting for a row lock gives up (claims pass over locked rows, so a wait this
     * long means something is stuck);</li>
     * <li>statement_timeout 60 s: no ledger statement takes that long (work is done in small steps);</li>
     * <li>idle_in_transaction_session_timeout 60 s: a transaction left open by a stuck worker is ended, with its locks.</li>
     * </ul>
     * They are driver properties, so the same parameters set in {@code spring.datasource.url} take precedence.
     */
    static void boundWaits(HikariDataSource pool) {
        pool.addDataSourceProperty("socketTimeout", "60");
        pool.addDataSourceProperty("options",
                "-c lock_timeout=10s -c statement_timeout=60s -c idle_in_transaction_session_timeout=60s");
    }

    private static void refuseASecondInstance(HikariDataSource pool, FolderProperties properties) {
        try (Connection first = pool.getConnection()) {
            first.isValid(1);
        } catch (SQLException | RuntimeException e) {
            if (heldByAnother(e)) {
                pool.close();
                throw new StartupRefusedException("the embedded ledger " + file(properties) + ".mv.db (autopilot.data-dir) "
                        + "is in use by another instance of the service", "Run one instance per autopilot.data-dir: "
                        + "several instances need PostgreSQL (spring.datasource.url=jdbc:postgresql://..., see "
                        + "docs/cluster.md).");
            }
            throw new IllegalStateException("cannot open the ledger " + file(properties) + ".mv.db", e);
        }
    }

    private record DropClosedDatabase(HikariDataSource pool) implements SQLExceptionOverride {
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            if (e.getErrorCode() != H2_CLOSED) {
                return Override.CONTINUE_EVICT;
            }
            pool.getHikariPoolMXBean().softEvictConnections();
            return Override.MUST_EVICT;
        }
    }

    private static boolean heldByAnother(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_IN_USE) {
                return true;
            }
        }
        return false;
    }
}
