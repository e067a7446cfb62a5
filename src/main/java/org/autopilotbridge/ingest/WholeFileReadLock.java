package org.autopilotbridge.ingest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.FileIdempotentChangedRepositoryReadLockStrategy;
import org.autopilotbridge.cluster.InboxReadLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.stereotype.Component;

/**
 * The inbox's read lock ({@code readLock=idempotent-changed} with {@link InboxReadLock}, on the endpoint's own
 * {@code readLock*} options), which also takes at first sight a file that arrived whole. A writer writing a file sets
 * its modification and change times to the same instant; renaming the file in (how {@code mv}, Windows' move and
 * SFTP clients deliver a finished file) or setting its times once written changes only its change time. So a file
 * whose change time is later than its modification time was last touched by something other than a write, and is
 * not waited for; any other file, or one on a file system without change times, waits until it stopped changing.
 */
@Component("wholeFileReadLock")
public class WholeFileReadLock extends FileIdempotentChangedRepositoryReadLockStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(WholeFileReadLock.class);

    private final ObjectFactory<InboxReadLock> locks;

    /**
     * The ledger lock is looked up when the inbox starts, not when this bean is made: Camel's start-up makes the beans
     * it is aware of while the lease keeper may be making the ledger lock, which waits for Camel (a deadlock).
     */
    public WholeFileReadLock(ObjectFactory<InboxReadLock> locks) {
        this.locks = locks;
    }

    @Override
    protected void doStart() throws Exception {
        setIdempotentRepository(locks.getObject());
        super.doStart();
    }

    /** Camel configures a strategy of its own from the endpoint's options, and one given to it not at all. */
    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint) throws Exception {
        setMinAge(endpoint.getReadLockMinAge());
        setMinLength(endpoint.getReadLockMinLength());
        setCheckInterval(endpoint.getReadLockCheckInterval());
        setTimeout(endpoint.getReadLockTimeout());
        setRemoveOnCommit(endpoint.isReadLockRemoveOnCommit());
        setRemoveOnRollback(endpoint.isReadLockRemoveOnRollback());
        super.prepareOnStartup(operations, endpoint);
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        if (!arrivedWhole(file.getFile().toPath())) {
            return super.acquireExclusiveReadLock(operations, file, exchange);
        }
        String key = asKey(exchange, file);
        try {
            return getIdempotentRepository().add(exchange, key);
        } catch (RuntimeException e) {
            // As Camel's own read lock does: the lock could not be had, the file waits for the next poll.
            LOG.debug("Cannot lock {}: {}", file, e.toString());
            return false;
        }
    }

    /** Whether the file was last changed otherwise than by writing to it (renamed in, its times set). */
    public boolean arrivedWhole(Path path) {
        try {
            FileTime changed = (FileTime) Files.getAttribute(path, "unix:ctime");
            return changed.compareTo(Files.getLastModifiedTime(path)) > 0;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException noChangeTime) {
            // Windows, a file system without change times, or the file is gone: judged by its age alone.
            return false;
        }
    }
}
