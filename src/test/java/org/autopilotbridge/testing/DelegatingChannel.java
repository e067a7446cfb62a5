package org.autopilotbridge.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePathWrapper;

/** An H2 file's channel that does what the file's own does: the test file systems change one step of it. */
class DelegatingChannel extends FileBase {

    /** A test file system: H2's files as they are, each opened through a channel of its own kind. */
    abstract static class FileSystem extends FilePathWrapper {

        private final String scheme;

        FileSystem(String scheme) {
            this.scheme = scheme;
        }

        @Override
        public final String getScheme() {
            return scheme;
        }

        @Override
        public final FileChannel open(String mode) throws IOException {
            return channel(getBase().open(mode), Path.of(getBase().toString()).toAbsolutePath());
        }

        /** The channel H2 uses for {@code file}, over the one the file system opened. */
        abstract DelegatingChannel channel(FileChannel channel, Path file);
    }

    private final FileChannel channel;

    DelegatingChannel(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        channel.force(metaData);
    }

    @Override
    public void implCloseChannel() throws IOException {
        channel.close();
    }

    @Override
    public long position() throws IOException {
        return channel.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        channel.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return channel.write(src, position);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        channel.truncate(size);
        return this;
    }

    @Override
    public synchronized FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return channel.tryLock(position, size, shared);
    }
}
