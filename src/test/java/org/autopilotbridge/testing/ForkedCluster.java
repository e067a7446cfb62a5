package org.autopilotbridge.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.awaitility.Awaitility;

/**
 * Instances of the service, each in a JVM of its own ({@link ForkedBridge}), on one new PostgreSQL ledger and one
 * folder tree (as on a shared SMB or NFS folder), each on a port it bound itself and reported in its log.
 */
public final class ForkedCluster implements AutoCloseable {

    private final ServiceFolders folders = ServiceFolders.create();
    private final Map<String, String> database = Postgres.newDatabase();
    private final Map<String, ForkedBridge> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    public ServiceFolders folders() {
        return folders;
    }

    /** Starts instance {@code node} with the shared folders and ledger, server.port=0, and {@code settings}. */
    public void start(String node, List<String> settings) {
        List<String> arguments = new ArrayList<>(folders.arguments());
        arguments.addAll(Postgres.arguments(database));
        arguments.add("--autopilot.cluster.instance-id=" + node);
        arguments.addAll(settings);
        nodes.put(node, ForkedBridge.start(null, log(node), arguments));
    }

    /** A new connection to the shared ledger, as the test's own view of it. */
    public Connection ledger() throws SQLException {
        return DriverManager.getConnection(database.get("spring.datasource.url"), "postgres", "postgres");
    }

    /** Waits until every instance has registered in the ledger and its web server listens; reads its port. */
    public void awaitUp(Connection ledger, Duration atMost) {
        // The ledger's tables come with the first instance's migrations.
        Awaitility.await("every instance up").atMost(atMost).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(SQLException.class)
                .until(() -> count(ledger, "SELECT COUNT(*) FROM service_instance") == nodes.size() && allBound());
    }

    private boolean allBound() throws IOException {
        for (String node : nodes.keySet()) {
            if (!nodes.get(node).isAlive()) {
                throw new IllegalStateException(node + " ended; see " + log(node));
            }
            OptionalInt bound = ForkedBridge.boundPort(log(node));
            if (bound.isEmpty()) {
                return false;
            }
            ports.put(node, bound.getAsInt());
        }
        return true;
    }

    /** The port {@code node} bound, once {@link #awaitUp} has seen it. */
    public int port(String node) {
        return ports.get(node);
    }

    public ForkedBridge node(String node) {
        return nodes.get(node);
    }

    public Path log(String node) {
        return folders.root().resolve(node + ".log");
    }

    /** The single number {@code sql} selects. */
    public static long count(Connection ledger, String sql) throws SQLException {
        try (Statement query = ledger.createStatement(); ResultSet row = query.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ForkedBridge node : nodes.values()) {
            node.close();
        }
    }
}
