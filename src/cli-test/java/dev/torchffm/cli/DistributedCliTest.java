package dev.torchffm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.datasets.FashionMnist;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code train --nproc}: the launcher and its workers as separate JVMs. Failures to form the group
 * (port in use, wrong world size, unreachable master) end with one clear line and exit code 2 before
 * any data is read; a worker killed mid-epoch ends the run, with the rank named, within the timeout.
 */
class DistributedCliTest {
    /** A launcher JVM with its output collected line by line. */
    private record Run(Process process, LinkedBlockingQueue<String> out, CompletableFuture<String> err) {
        static Run start(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "train"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).start();
            LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    r.lines().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return new Run(p, out, err);
        }

        /** Waits for the exit (bounded: nothing may hang) and returns standard error. */
        String finish() throws Exception {
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            assertTrue(exited, "the launcher did not exit within 60 s");
            return err.get(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String master(int port) {
        return "127.0.0.1:" + port;
    }

    private static void assertOneLineUserError(Run r, String expected) throws Exception {
        String err = r.finish();
        assertEquals(2, r.process().exitValue(), err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.contains(expected), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void aPortInUseIsOneErrorAndExitCodeTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Run r = Run.start("--nproc", "2", "--master", master(taken.getLocalPort()), "--dist-timeout", "20");
            assertOneLineUserError(r, "port " + taken.getLocalPort());
        }
    }

    @Test
    void anUnreachableMasterIsOneErrorAndExitCodeTwo() throws Exception {
        int port = freePort();
        Run r = Run.start("--nnodes", "2", "--node-rank", "1", "--master", master(port), "--dist-timeout", "2");
        assertOneLineUserError(r, "could not reach the master at " + master(port));
    }

    @Test
    void aWrongWorldSizeIsOneErrorAndExitCodeTwoOnEachMachine() throws Exception {
        int port = freePort();
        Run node0 = Run.start("--nnodes", "2", "--node-rank", "0", "--master", master(port), "--dist-timeout", "20");
        Run node1 = Run.start("--nnodes", "3", "--node-rank", "1", "--master", master(port), "--dist-timeout", "20");
        assertOneLineUserError(node0, "world size mismatch: rank 1 was started for 3 processes, rank 0 for 2");
        assertOneLineUserError(node1, "world size mismatch");
    }

    @Test
    void killingAWorkerMidEpochStopsTheOtherWithTheRankNamed() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
        int port = freePort();
        Run r = Run.start(
                "--nproc", "2", "--threads", "1", "--epochs", "3", "--master", master(port), "--dist-timeout", "30");
        try {
            String line;
            do {
                line = r.out().poll(180, TimeUnit.SECONDS);
                assertTrue(line != null, "no epoch line within 180 s");
            } while (!line.startsWith("epoch 1"));
            // Now in epoch 2: kill one worker outright.
            ProcessHandle victim = r.process()
                    .children()
                    .max(Comparator.comparingLong(ProcessHandle::pid))
                    .orElseThrow();
            victim.destroyForcibly();
            String err = r.finish();
            assertNotEquals(0, r.process().exitValue(), err);
            assertTrue(err.contains("(pid " + victim.pid() + ") has exited"), err);
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
        } finally {
            r.process().descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
