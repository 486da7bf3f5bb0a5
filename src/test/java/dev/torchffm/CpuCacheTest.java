package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CPU buffer cache reuses large buffers, bounds what it keeps and never hands out a live one. */
class CpuCacheTest {
    private static final long MIB = 1 << 20;

    @AfterEach
    void off() {
        CpuCache.disable();
    }

    // 1 MiB of floats: above the cache's 128 KiB floor.
    private static Tensor large() {
        return Tensor.zeros(DType.FLOAT32, Device.CPU, 512, 512);
    }

    @Test
    void enableAndDisableAreIdempotentAndRestoreTheAllocator() {
        assertFalse(CpuCache.isEnabled());
        CpuCache.enable();
        CpuCache.enable();
        assertTrue(CpuCache.isEnabled());
        CpuCache.disable();
        CpuCache.disable();
        assertFalse(CpuCache.isEnabled());
        assertEquals(0, CpuCache.stats().cachedBytes(), "disabling frees the cache");
    }

    @Test
    void leasesKeepTheCacheOnUntilTheLastClosesAndLeaveAnEnabledCacheOn() throws Exception {
        CpuCache.Lease first = CpuCache.lease();
        assertTrue(CpuCache.isEnabled());
        CpuCache.Lease second;
        try (var other = Executors.newSingleThreadExecutor()) {
            second = other.submit(CpuCache::lease).get(); // a trainer on another thread
        }
        first.close();
        first.close();
        assertTrue(CpuCache.isEnabled(), "the other lease still holds it");
        second.close();
        assertFalse(CpuCache.isEnabled(), "the last lease restores the allocator");

        CpuCache.enable();
        CpuCache.lease().close();
        assertTrue(CpuCache.isEnabled(), "a cache the caller enabled stays on");
    }

    @Test
    void aFreedBufferServesTheNextTensorOfItsSizeWhichStillStartsAsZeros() {
        CpuCache.enable();
        try (Tensor a = Tensor.ones(DType.FLOAT32, Device.CPU, 512, 512)) {
            try (Tensor sum = a.sum()) {
                assertEquals(512 * 512, sum.item());
            }
        }
        CpuCache.Stats before = CpuCache.stats();
        assertTrue(before.cachedBytes() >= MIB, "the freed buffer is kept");
        try (Tensor b = large()) {
            CpuCache.Stats after = CpuCache.stats();
            assertEquals(before.hits() + 1, after.hits());
            assertEquals(before.cachedBytes() - MIB, after.cachedBytes());
            try (Tensor sum = b.sum()) {
                assertEquals(0.0, sum.item(), "zeros() writes its buffer even when it was used before");
            }
        }
    }

    @Test
    void smallTensorsBypassTheCache() {
        CpuCache.enable();
        CpuCache.Stats before = CpuCache.stats();
        try (Tensor t = Tensor.zeros(DType.FLOAT32, Device.CPU, 1000)) {
            assertEquals(before, CpuCache.stats());
        }
        assertEquals(before, CpuCache.stats());
    }

    @Test
    void tensorsCreatedBeforeEnableOrFreedAfterDisableAreFreedNormally() {
        Tensor before = large();
        CpuCache.enable();
        Tensor during = large();
        long live = CpuCache.stats().liveBytes();
        before.close(); // malloc's buffer: the cache does not know it
        assertEquals(live, CpuCache.stats().liveBytes());
        CpuCache.disable();
        during.close(); // the cache's buffer, returned to malloc as the cache is off
        assertEquals(live - MIB, CpuCache.stats().liveBytes());
        assertEquals(0, CpuCache.stats().cachedBytes());
    }

    @Test
    void trimEmptiesTheCacheAndTheCacheStaysWithinItsBound() {
        CpuCache.enable();
        // 100 distinct sizes of 1-1.4 MiB, alive together and then freed: the cache keeps at most the
        // peak of live bytes (at least 64 MiB).
        List<Tensor> ts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ts.add(Tensor.zeros(DType.FLOAT32, Device.CPU, 256 * 1024 + 1024L * i));
        }
        long peak = CpuCache.stats().liveBytes();
        ts.forEach(Tensor::close);
        long cached = CpuCache.stats().cachedBytes();
        assertTrue(cached > 0 && cached <= Math.max(peak, 64 * MIB), "cached " + cached + ", peak live " + peak);
        CpuCache.trim();
        assertEquals(0, CpuCache.stats().cachedBytes());
        assertTrue(CpuCache.isEnabled(), "trim keeps the cache on");
    }

    @Test
    void manyThreadsAllocatingAndFreeingAtOnceGetTheirOwnBuffers() throws Exception {
        CpuCache.enable();
        long live = CpuCache.stats().liveBytes();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                double value = t + 1;
                results.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int i = 0; i < 200; i++) {
                        // Two sizes, so threads share buckets; each fills its buffer and reads it back.
                        try (TensorScope s = TensorScope.open()) {
                            Tensor x = Tensor.ones(DType.FLOAT32, Device.CPU, i % 2 == 0 ? 65536 : 98304)
                                    .mul(value);
                            ok &= x.sum().item() == value * x.numel();
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(), "a thread read back another thread's values");
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(live, CpuCache.stats().liveBytes(), "every buffer came back");
    }

    @Test
    void borrowedReadOnlyMemoryNeverEntersTheCache() {
        CpuCache.enable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zeros = arena.allocate(MIB, 64).asReadOnly();
            CpuCache.Stats before = CpuCache.stats();
            try (Tensor t = Tensor.borrow(zeros, DType.FLOAT32, 512, 512)) {
                assertEquals(
                        before.liveBytes(), CpuCache.stats().liveBytes(), "the caller's memory is not the cache's");
                try (Tensor y = t.add(1.0);
                        Tensor sum = y.sum()) {
                    assertEquals(before.liveBytes() + MIB, CpuCache.stats().liveBytes());
                    assertEquals(512 * 512, sum.item());
                }
            }
            CpuCache.Stats after = CpuCache.stats();
            assertEquals(before.liveBytes(), after.liveBytes());
            assertTrue(after.cachedBytes() <= before.cachedBytes() + MIB, "only the result's buffer was kept");
        }
    }

    @Test
    void aBufferClosedWhileAnotherThreadComputesOnItIsReusedOnlyAfterThatCall() throws Exception {
        CpuCache.enable();
        long live = CpuCache.stats().liveBytes();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 100; round++) {
                Tensor x = large(); // zeros: every sigmoid of it sums to exactly 0.5 per element
                Future<Boolean> user = pool.submit(() -> {
                    boolean ok = true;
                    while (true) {
                        try (Tensor y = x.sigmoid();
                                Tensor sum = y.sum()) {
                            ok &= sum.item() == 0.5 * 512 * 512;
                        } catch (IllegalStateException closed) {
                            return ok;
                        }
                    }
                });
                Thread.sleep(0, 200_000);
                x.close();
                // A tensor of the same size takes x's buffer as soon as it is back in the cache: were
                // it back before the other thread's call returned, that call would sum sigmoid(1)s.
                try (Tensor ones = Tensor.ones(DType.FLOAT32, Device.CPU, 512, 512)) {
                    assertTrue(user.get(), "a call read a buffer that was handed out again");
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(live, CpuCache.stats().liveBytes(), "every buffer came back");
    }
}
