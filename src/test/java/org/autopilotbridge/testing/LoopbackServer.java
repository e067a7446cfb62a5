package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/** An HTTP server for tests on a free loopback port, so test classes never collide on ports. */
final class LoopbackServer implements AutoCloseable {

    static {
        // As a real server does: answers go out at once, not held back by Nagle's algorithm waiting for an ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;

    LoopbackServer(HttpHandler handler) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
