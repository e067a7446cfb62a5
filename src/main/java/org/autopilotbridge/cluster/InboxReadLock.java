package org.autopilotbridge.cluster;

import java.sql.Timestamp;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;

/**
 * The inbox's read lock in the ledger: camel-sql's orphan-aware JDBC repository, whose lock lapses when the instance
 * holding it stops keeping it alive, with one step made atomic. Camel's own insert takes over whatever row it finds
 * for the file, so two instances that reach a newly dropped file at the same moment both got it (and a lock taken
 * over that way was never kept alive). Here a lock is an INSERT, which the database lets exactly one instance win
 * (the other's fails on the key, and Camel skips the file); a lapsed lock is first deleted while it is still lapsed.
 * A lock is released only by the instance holding it: Camel's file consumer also "removes" the keys of files it
 * listed but could not lock, which with a shared repository would free another instance's lock in mid-read.
 * The locks this instance holds are kept alive with its leases ({@link LeaseKeeper}).
 */
public class InboxReadLock extends JdbcOrphanLockAwareIdempotentRepository {

    /** Camel's table, as V7__cluster creates it. */
    private static final String TABLE = "CAMEL_MESSAGEPROCESSED";

    private final Set<String> held = ConcurrentHashMap.newKeySet();

    public InboxReadLock(DataSource ledger, String processorName, CamelContext camel) {
        super(ledger, processorName, camel);
    }

    @Override
    protected int insert(String key) {
        long now = System.currentTimeMillis();
        getJdbcTemplate().update("DELETE FROM " + TABLE + " WHERE processorName = ? AND messageId = ? AND createdAt < ?",
                getProcessorName(), key, new Timestamp(now - getLockMaxAgeMillis()));
        int inserted = getJdbcTemplate().update(getInsertString(), getProcessorName(), key, new Timestamp(now));
        held.add(key);
        return inserted;
    }

    @Override
    protected int delete(String key) {
        return held.remove(key) ? super.delete(key) : 0;
    }

    /** Keeps the locks of the files this instance is reading its own for another lockMaxAgeMillis. */
    void keepAlive() {
        Timestamp now = new Timestamp(System.currentTimeMillis());
        for (String key : held) {
            getJdbcTemplate().update("UPDATE " + TABLE + " SET createdAt = ? WHERE processorName = ? AND messageId = ?",
                    now, getProcessorName(), key);
        }
    }
}
