package org.autopilotbridge.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.autopilotbridge.config.FolderProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The hardware hashes of a file's lines, outside the database: one file per hash file under
 * {@code <data-dir>/processing/hashes}, each hash the validated text that is sent, as its ASCII bytes, appended as the
 * lines are read. A device row holds where its hash is ({@link HashSpan}). A hash is a 4,000-character value written
 * once and read once; in the database it was stored, cached, serialised, collected and removed again with every chunk,
 * most of the ledger's work. Appended bytes are forced to disk before the rows pointing at them are committed, so a
 * committed row never points past what survives a crash; bytes appended for rows that were not committed are never
 * pointed at. The spool lives beside the files in processing, in the folder tree every instance shares, from the first
 * line read until the file is finished, so whichever instance sends a batch or reports the file reads it.
 */
@Component
public class HashSpool {

    /** Holds many hashes; a validated one is at most {@code DeviceLimits.HASH_TEXT_MAX} characters. */
    private static final int WRITE_BUFFER = 256 * 1024;

    private final Path dir;

    public HashSpool(FolderProperties folders) {
        this.dir = folders.getDataDir().resolve("processing").resolve("hashes").toAbsolutePath();
    }

    /** Where a hash is in its file's spool. */
    public record HashSpan(long at, int length) {
    }

    /** The data folder cannot take a file's hashes (a full disk): a problem of this machine, never of the file. */
    public static final class CannotStoreException extends UncheckedIOException {

        CannotStoreException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /**
     * Appends the hashes (null ones skipped) to the file's spool and forces them to disk; returns where each is, in
     * order (null for a null hash).
     */
    public HashSpan[] append(long fileId, String[] hashes) {
        HashSpan[] spans = new HashSpan[hashes.length];
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(spool(fileId), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                long at = channel.size();
                ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER);
                for (int i = 0; i < hashes.length; i++) {
                    String hash = hashes[i];
                    if (hash != null) {
                        if (hash.length() > buffer.remaining()) {
                            writeOut(channel, buffer);
                        }
                        copyAscii(hash, buffer);
                        spans[i] = new HashSpan(at, hash.length());
                        at += hash.length();
                    }
                }
                writeOut(channel, buffer);
                channel.force(false);
            }
            return spans;
        } catch (IOException e) {
            throw new CannotStoreException("cannot store the hardware hashes of file #" + fileId + " in " + dir, e);
        }
    }

    /**
     * Copies a validated hash, ASCII text, into the buffer as its bytes. The one copy that allocates nothing: a byte
     * array of each hash of its own was an eighth of what reading a file allocated, and an encoding writer took seven
     * times as long. This method, deprecated because it keeps only each character's low byte, is exact for ASCII.
     */
    @SuppressWarnings("deprecation")
    private static void copyAscii(String hash, ByteBuffer buffer) {
        hash.getBytes(0, hash.length(), buffer.array(), buffer.position());
        buffer.position(buffer.position() + hash.length());
    }

    private static void writeOut(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * The file's spool, to read hashes one by one for as long as the returned reader is open. It is opened at the first
     * hash read: a file with none (a duplicate of an earlier file, or only update lines) has no spool.
     */
    public Reader reader(long fileId) {
        return new Reader(fileId);
    }

    /** One file's spool, open for reading from its first hash read until closed. */
    public final class Reader implements AutoCloseable {

        private final long fileId;
        private FileChannel channel;

        private Reader(long fileId) {
            this.fileId = fileId;
        }

        /** The hash at this place, its base64 text as bytes (null for a null span: a line without a hash). */
        public byte[] read(HashSpan span) {
            if (span == null) {
                return null;
            }
            ByteBuffer bytes = ByteBuffer.allocate(span.length());
            try {
                if (channel == null) {
                    channel = FileChannel.open(spool(fileId), StandardOpenOption.READ);
                }
                while (bytes.hasRemaining()) {
                    if (channel.read(bytes, span.at() + bytes.position()) < 0) {
                        throw new IOException("it ends before the hash at byte " + span.at() + " (" + span.length() + " bytes)");
                    }
                }
            } catch (NoSuchFileException e) {
                throw new IllegalStateException("the hardware hashes of file #" + fileId + " are missing from " + dir
                        + ": its devices cannot be sent (was the folder emptied while the service ran?)", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the hardware hashes of file #" + fileId + " in " + dir + ": "
                        + e.getMessage(), e);
            }
            return bytes.array();
        }

        @Override
        public void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the hardware hashes of file #" + fileId + " in " + dir, e);
            }
        }
    }

    /**
     * The file's lines are being forgotten: its hashes go once that is committed (at once outside a transaction), so a
     * rolled-back forgetting never leaves rows pointing at a spool that is gone.
     */
    public void dropOnCommit(long fileId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            drop(fileId);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                drop(fileId);
            }
        });
    }

    /** The file is finished or forgotten: its hashes are no longer needed. */
    public void drop(long fileId) {
        try {
            Files.deleteIfExists(spool(fileId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the hardware hashes of file #" + fileId + " from " + dir, e);
        }
    }

    Path spool(long fileId) {
        return dir.resolve(fileId + ".hashes");
    }
}
