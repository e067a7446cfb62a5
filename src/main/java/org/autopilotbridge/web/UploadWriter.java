package org.autopilotbridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

import org.autopilotbridge.finish.ReportFiles;
import org.autopilotbridge.ops.SafeNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an uploaded file into the inbox the way a careful drop does: written under a hidden name inside the inbox
 * (the same file system), forced to disk, then given its name in one step that never replaces a file, and the inbox
 * folder forced too. Only then is the upload answered, so an acknowledged upload survives a crash; the inbox route
 * then takes it as any other finished drop. The file's name is kept, or the next free one beside a file of that name.
 * One writer per inbox: {@link UploadInboxes} picks the tenant's.
 */
class UploadWriter {

    /** Hidden, and with an extension the inbox route skips, while it is written. */
    static final String TEMP_PREFIX = ".autopilot-upload-";
    static final String TEMP_SUFFIX = ".part";
    /** Room for the reports' suffixes (".results.csv", "-2") within a file system's 255 bytes. */
    static final int NAME_MAX = 200;
    /** Longer than any upload takes. */
    static final Duration LEFTOVER_AGE = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(UploadWriter.class);

    /** What was written: the name the file has in the inbox, its content's SHA-256, and its size. */
    record Written(String inboxName, String sha256, long size) {
    }

    /** fsync of a file, or of a folder's entries; a test sees through it what is on the device when. */
    @FunctionalInterface
    interface Disk {
        void force(Path fileOrFolder) throws IOException;
    }

    private final Path inbox;
    private final long maxBytes;
    private final Disk disk;

    UploadWriter(Path inbox, long maxBytes) {
        this(inbox, maxBytes, ReportFiles::force);
    }

    UploadWriter(Path inbox, long maxBytes, Disk disk) {
        this.inbox = inbox.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.disk = disk;
    }

    /**
     * Deletes what uploads that a crash interrupted left in the inbox (never acknowledged, and hidden from the inbox
     * route), once they are older than {@link #LEFTOVER_AGE}: an instance sharing the inbox may be writing a newer one.
     */
    void removeLeftovers() throws IOException {
        removeLeftovers(Instant.now().minus(LEFTOVER_AGE));
    }

    /** Deletes the upload leftovers last written before {@code before}; returns how many. */
    int removeLeftovers(Instant before) throws IOException {
        if (!Files.isDirectory(inbox)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(inbox, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                if (Files.getLastModifiedTime(leftover).toInstant().isBefore(before) && Files.deleteIfExists(leftover)) {
                    removed++;
                }
            }
        }
        if (removed > 0) {
            LOG.info("Removed {} partial uploads from the inbox that a stop interrupted; none of them had been acknowledged", removed);
        }
        return removed;
    }

    /** Why a file of this name cannot go into the inbox, or null when it can. */
    static String refusal(String name) {
        String unsafe = SafeNames.refusal(name);
        if (unsafe != null) {
            return "the file name is refused: " + unsafe;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.startsWith(".") || lower.endsWith(".part") || lower.endsWith(".tmp")) {
            return "the inbox never reads a file whose name starts with a dot or ends in .part or .tmp: rename it";
        }
        if (name.length() > NAME_MAX) {
            return "the file name is longer than " + NAME_MAX + " characters: shorten it";
        }
        return null;
    }

    /** Writes {@code content} into the inbox as {@code name}; refused over the size limit, with nothing left behind. */
    Written write(String name, InputStream content) throws IOException {
        String refused = refusal(name);
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        Files.createDirectories(inbox);
        Path temp = inbox.resolve(TEMP_PREFIX + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            MessageDigest digest = sha256();
            long size;
            try (InputStream in = new DigestInputStream(content, digest);
                 OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                size = copyAtMost(in, out);
            }
            disk.force(temp);
            String placed = place(temp, name);
            return new Written(placed, HexFormat.of().formatHex(digest.digest()), size);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private long copyAtMost(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            size += n;
            if (size > maxBytes) {
                throw new UploadTooLargeException(maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return size;
    }

    /** Gives the written file its name under the next free one, and forces the inbox's entry to disk. */
    private String place(Path temp, String name) throws IOException {
        Path placed = ReportFiles.placeUnderFreeName(inbox, name, target -> link(temp, SafeNames.resolveInside(inbox,
                target.getFileName().toString())));
        disk.force(inbox);
        return placed.getFileName().toString();
    }

    /**
     * A hard link fails rather than replace a file dropped under that name a moment ago, where a rename replaces it
     * silently; on a file system without links, a rename that looks first.
     */
    private static void link(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException taken) {
            throw taken;
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            Files.move(temp, target);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
