package dev.trainyard.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP load balancer on a free loopback port, as a Kubernetes Service is one: each new connection goes to the next
 * backend in turn, and to the one after it when that one refuses (a killed instance). Bytes are copied both ways
 * until either side closes.
 */
final class RoundRobinProxy implements AutoCloseable {
    private final List<Integer> backends;
    private final ServerSocket server;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.Map<Integer, AtomicInteger> forwarded = new java.util.concurrent.ConcurrentHashMap<>();

    RoundRobinProxy(List<Integer> backendPorts) {
        this.backends = List.copyOf(backendPorts);
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Connections handed to the backend on this port so far. */
    int forwardedTo(int port) {
        AtomicInteger n = forwarded.get(port);
        return n == null ? 0 : n.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> forward(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void forward(Socket client) {
        Socket backend = null;
        int first = Math.floorMod(next.getAndIncrement(), backends.size());
        for (int i = 0; i < backends.size() && backend == null; i++) {
            int port = backends.get((first + i) % backends.size());
            try {
                backend = new Socket(InetAddress.getLoopbackAddress(), port);
                forwarded.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
            } catch (IOException refused) {
                // that instance is down: the next one
            }
        }
        if (backend == null) {
            close(client);
            return;
        }
        Socket server = backend;
        Thread.ofVirtual().start(() -> copy(client, server));
        copy(server, client);
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // either side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
