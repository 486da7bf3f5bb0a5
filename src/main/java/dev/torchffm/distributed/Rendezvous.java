package dev.torchffm.distributed;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom a process joins a group: rank 0 hosts the rendezvous (a c10d TCPStore) on
 * {@code port}, the other ranks connect to {@code host:port}; every wait is bounded by {@code timeout}.
 */
public record Rendezvous(String host, int port, int rank, int worldSize, Duration timeout) {
    public Rendezvous {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the master host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
        if (worldSize < 1) {
            throw new IllegalArgumentException("world size must be >= 1, got " + worldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (worldSize - 1));
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeout must be at least 1 ms, got " + timeout);
        }
    }

    /** Parses {@code HOST:PORT} (an IPv6 host in brackets: {@code [::1]:29500}). */
    public static Rendezvous parse(String master, int rank, int worldSize, Duration timeout) {
        int colon = master.lastIndexOf(':');
        if (colon <= 0 || colon == master.length() - 1) {
            throw new IllegalArgumentException("master must be HOST:PORT, got '" + master + "'");
        }
        String host = master.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(master.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("master must be HOST:PORT, got '" + master + "'");
        }
        return new Rendezvous(host, port, rank, worldSize, timeout);
    }
}
