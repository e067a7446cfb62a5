package org.autopilotbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.component.file.FileConsumer;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.component.file.FileOperations;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.autopilotbridge.cluster.InboxReadLock;
import org.autopilotbridge.testing.OtherFileSystem;
import org.autopilotbridge.testing.ServiceFolders;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's read lock against real files and a real ledger lock, with a minimum age no file reaches while the
 * test runs: a file is taken only if it is taken at first sight, and one that is not is given up after the timeout.
 */
class WholeFileReadLockTest {

    @TempDir
    Path temp;

    private CamelContext camel;
    private FileEndpoint endpoint;
    private DataSource ledger;
    private InboxReadLock locks;
    private WholeFileReadLock readLock;

    @BeforeEach
    void start() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + temp.getFileName() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS).load().migrate();
        camel = new DefaultCamelContext();
        camel.start();
        ledger = h2;
        locks = instance(h2);
        endpoint = camel.getEndpoint("file:" + temp.resolve("inbox") + "?noop=true&readLock=idempotent-changed"
                + "&readLockMinAge=3600000&readLockCheckInterval=50&readLockTimeout=400&readLockMinLength=0", FileEndpoint.class);
        readLock = started(locks);
    }

    @AfterEach
    void stop() throws Exception {
        readLock.stop();
        locks.stop();
        camel.close();
    }

    @Test
    void takesAFileRenamedIntoTheInboxAtFirstSight() throws Exception {
        Path written = Files.writeString(temp.resolve("written.csv"), "Device Serial Number,Hardware Hash\r\n");

        assertThat(taken(Files.move(written, inbox("renamed.csv")))).isTrue();
    }

    @Test
    void takesAFileMovedInFromAnotherFileSystemWithItsTimeKeptAtFirstSight() throws Exception {
        Path written = Files.writeString(OtherFileSystem.folderBeside(temp).resolve("written.csv"), "content");
        Path copied = Files.copy(written, inbox("copied.csv"));
        Files.setLastModifiedTime(copied, Files.getLastModifiedTime(written));

        assertThat(taken(copied)).isTrue();
    }

    @Test
    void waitsForAFileWrittenInPlaceToReachItsAge() throws Exception {
        Path written = Files.writeString(inbox("in-place.csv"), "content");

        assertThat(taken(written)).isFalse();
    }

    @Test
    void neverTakesAFileWhoseWriterPausedMidFile() throws Exception {
        Path file = inbox("paused.csv");
        try (OutputStream writer = Files.newOutputStream(file)) {
            writer.write("Device Serial Number,Hardware Hash\r\nS-1,".getBytes());
            writer.flush();

            assertThat(readLock.arrivedWhole(file)).isFalse();
            assertThat(taken(file)).isFalse();
        }
    }

    @Test
    void neverTakesAFileRenamedInWhileAnotherInstanceHoldsItsLock() throws Exception {
        Path renamed = Files.move(Files.writeString(temp.resolve("written.csv"), "content"), inbox("held.csv"));
        assertThat(locks.add(renamed.toAbsolutePath().toString())).isTrue();
        assertThat(taken(started(instance(ledger)), renamed)).isFalse();
        assertThat(readLock.arrivedWhole(renamed)).isTrue();
    }

    @Test
    void judgesAFileThatIsGoneByItsAgeAlone() {
        assertThat(readLock.arrivedWhole(inbox("gone.csv"))).isFalse();
    }

    private Path inbox(String name) {
        try {
            return Files.createDirectories(temp.resolve("inbox")).resolve(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ledger lock of an instance, as cluster/ClusterSetup makes it. */
    private InboxReadLock instance(DataSource ledger) {
        InboxReadLock lock = new InboxReadLock(ledger, "inbox", camel);
        lock.setLockMaxAgeMillis(60_000);
        lock.setLockKeepAliveIntervalMillis(20_000);
        lock.start();
        return lock;
    }

    private WholeFileReadLock started(InboxReadLock repository) throws Exception {
        WholeFileReadLock strategy = new WholeFileReadLock(() -> repository);
        strategy.setCamelContext(camel);
        strategy.start();
        strategy.prepareOnStartup(new FileOperations(endpoint), endpoint);
        return strategy;
    }

    private boolean taken(Path file) throws Exception {
        return taken(readLock, file);
    }

    /** What Camel's file consumer asks before it reads a file it listed. */
    private boolean taken(WholeFileReadLock strategy, Path file) throws Exception {
        GenericFile<File> listed = FileConsumer.asGenericFile(temp.resolve("inbox").toString(), file.toFile(), null, false);
        return strategy.acquireExclusiveReadLock(new FileOperations(endpoint), listed, new DefaultExchange(camel));
    }
}
