package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port held by a socket that is bound but neither listens nor connects: a connection to it is refused,
 * as to a server that is down, and no other socket can take the port until this one is closed. A port found free and
 * let go could be taken by anyone before it is used.
 */
public final class ClosedPort implements AutoCloseable {

    private final Socket holder = new Socket();

    public ClosedPort() {
        try {
            holder.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return holder.getLocalPort();
    }

    /** Lets the port go; a server binding it next takes it over with no time in between for another. */
    @Override
    public void close() {
        try {
            holder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
