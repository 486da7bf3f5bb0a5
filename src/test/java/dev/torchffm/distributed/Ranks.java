package dev.torchffm.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Runs the ranks of a test group as threads of this JVM (c10d allows several groups per process). */
final class Ranks {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Ranks() {}

    /** A port that was free a moment ago. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs body(rank) on one platform thread per rank and returns the results in rank order. */
    static <T> List<T> run(int worldSize, IntFunction<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(worldSize);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < worldSize; r++) {
                int rank = r;
                futures.add(pool.submit(() -> body.apply(rank)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception x) {
                        throw x;
                    }
                    throw e;
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Joins a Gloo group on localhost:port as rank of worldSize. */
    static ProcessGroup join(int port, int rank, int worldSize) {
        return ProcessGroup.join(new Rendezvous("127.0.0.1", port, rank, worldSize, TIMEOUT), Backend.GLOO);
    }
}
