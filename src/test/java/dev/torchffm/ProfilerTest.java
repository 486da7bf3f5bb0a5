package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The autograd profiler: the calling thread's ops, written as a Chrome trace when closed. */
class ProfilerTest {
    @TempDir
    Path dir;

    @Test
    void recordsTheThreadsOpsForwardAndBackward() throws IOException {
        Path trace = dir.resolve("ops.json");
        try (Profiler p = Profiler.start(trace);
                TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 8, 8).requiresGrad(true);
            x.sigmoid().sum().backward();
            assertEquals(trace, p.file());
        }
        String json = Files.readString(trace);
        assertTrue(json.startsWith("["), json.substring(0, Math.min(80, json.length())));
        assertTrue(json.contains("\"aten::sigmoid\""), "forward op recorded");
        assertTrue(json.contains("\"aten::sigmoid_backward\""), "backward op recorded");
    }

    @Test
    void opsAfterCloseAreNotRecordedAndAThreadCanProfileAgain() throws IOException {
        Path first = dir.resolve("first.json");
        try (Profiler p = Profiler.start(first)) {
            // nothing
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor.rand(DType.FLOAT32, Device.CPU, 4).sigmoid();
        }
        assertFalse(Files.readString(first).contains("aten::sigmoid"));
        Path second = dir.resolve("second.json");
        try (Profiler p = Profiler.start(second);
                TensorScope scope = TensorScope.open()) {
            Tensor.rand(DType.FLOAT32, Device.CPU, 4).sigmoid();
        }
        assertTrue(Files.readString(second).contains("aten::sigmoid"));
    }

    @Test
    void oneProfilePerThread() {
        try (Profiler p = Profiler.start(dir.resolve("a.json"))) {
            assertThrows(IllegalStateException.class, () -> Profiler.start(dir.resolve("b.json")));
        }
    }

    @Test
    void anUnwritableFileIsRefusedBeforeRecording() {
        assertThrows(IllegalArgumentException.class, () -> Profiler.start(dir.resolve("no/such/dir/t.json")));
        try (Profiler p = Profiler.start(dir.resolve("after.json"))) { // the failed start left nothing running
            assertFalse(p.isClosed());
        }
    }

    @Test
    void aDirectoryOrNullIsRefusedAndClosingTwiceIsHarmless() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Profiler.start(dir));
        assertThrows(NullPointerException.class, () -> Profiler.start(null));
        Path trace = dir.resolve("twice.json");
        Profiler p = Profiler.start(trace);
        p.close();
        long written = Files.size(trace);
        p.close();
        assertTrue(p.isClosed());
        assertEquals(written, Files.size(trace));
    }

    @Test
    void onlyTheStartingThreadStopsIt() throws Exception {
        try (Profiler p = Profiler.start(dir.resolve("t.json"))) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    p.close();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.join();
            assertTrue(thrown.get() instanceof WrongThreadException, String.valueOf(thrown.get()));
            assertFalse(p.isClosed());
        }
    }

    @Test
    void virtualThreadsAreRefused() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual()
                .start(() -> {
                    try (Profiler p = Profiler.start(dir.resolve("v.json"))) {
                        // unreachable
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                })
                .join();
        assertTrue(thrown.get() instanceof UnsupportedOperationException, String.valueOf(thrown.get()));
    }
}
