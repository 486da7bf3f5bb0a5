package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.internal.CallContext;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** No-grad and trusted-index regions, and scopes as move targets: owner thread and nesting checked. */
class RegionTest {
    private static void outOfOrderCloseIsRefused(Supplier<AutoCloseable> open, BooleanSupplier on) throws Exception {
        assertFalse(on.getAsBoolean());
        AutoCloseable outer = open.get();
        AutoCloseable inner = open.get();
        assertTrue(on.getAsBoolean());
        assertThrows(IllegalStateException.class, outer::close);
        assertTrue(on.getAsBoolean(), "a refused close changes no mode");
        inner.close();
        assertTrue(on.getAsBoolean(), "the outer region is still open");
        outer.close();
        assertFalse(on.getAsBoolean(), "mode restored after both closed");
        outer.close(); // closing twice is harmless
        inner.close();
        assertFalse(on.getAsBoolean());
    }

    private static void closeFromAnotherThreadIsRefused(Supplier<AutoCloseable> open, BooleanSupplier on)
            throws Exception {
        AutoCloseable region = open.get();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicReference<Boolean> otherMode = new AtomicReference<>();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                region.close();
            } catch (Throwable e) {
                seen.set(e);
            }
            otherMode.set(on.getAsBoolean());
        });
        other.join();
        assertTrue(seen.get() instanceof WrongThreadException, String.valueOf(seen.get()));
        assertFalse(otherMode.get(), "the other thread's mode is its own");
        assertTrue(on.getAsBoolean(), "the owner's region is still in force");
        region.close();
        assertFalse(on.getAsBoolean());
    }

    private static boolean gradOff() {
        return !Torch.isGradEnabled();
    }

    private static boolean trusting() {
        return CallContext.get().trustIndices();
    }

    @Test
    void noGradOutOfOrder() throws Exception {
        outOfOrderCloseIsRefused(Torch::noGrad, RegionTest::gradOff);
    }

    @Test
    void noGradFromAnotherThread() throws Exception {
        closeFromAnotherThreadIsRefused(Torch::noGrad, RegionTest::gradOff);
    }

    @Test
    void trustedIndicesOutOfOrder() throws Exception {
        outOfOrderCloseIsRefused(Torch::trustIndices, RegionTest::trusting);
    }

    @Test
    void trustedIndicesFromAnotherThread() throws Exception {
        closeFromAnotherThreadIsRefused(Torch::trustIndices, RegionTest::trusting);
    }

    @Test
    void regionsOfDifferentKindsAreIndependent() {
        NoGrad g = Torch.noGrad();
        TrustedIndices t = Torch.trustIndices();
        g.close(); // another kind is still open inside: allowed, the modes are independent
        assertFalse(gradOff());
        assertTrue(trusting());
        t.close();
        assertFalse(trusting());
    }

    @Test
    void backwardWorksAfterARefusedOutOfOrderClose() {
        NoGrad outer = Torch.noGrad();
        NoGrad inner = Torch.noGrad();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = Tensor.ones(DType.FLOAT32, Device.CPU, 2).requiresGrad(true);
            w.mul(3).sum().backward();
            assertEquals(3.0, w.grad().orElseThrow().sum().item() / 2, 0);
        }
    }

    @Test
    void movingOrKeepingIntoAClosedScopeIsRefused() throws Exception {
        long before = Torch.liveTensors();
        TensorScope closed = TensorScope.open();
        closed.close();
        try (Tensor t = Tensor.zeros(DType.FLOAT32, Device.CPU, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.moveTo(closed));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertFalse(t.isClosed(), "a refused move leaves the tensor where it was");
            try (TensorScope open = TensorScope.open()) {
                t.moveTo(open);
                assertEquals(1, open.size());
                AtomicReference<Throwable> seen = new AtomicReference<>();
                Thread other = new Thread(() -> {
                    try (TensorScope theirs = TensorScope.open()) {
                        t.moveTo(theirs);
                    } catch (Throwable e2) {
                        seen.set(e2);
                    }
                });
                other.start();
                other.join();
                assertTrue(seen.get() instanceof WrongThreadException, String.valueOf(seen.get()));
                assertThrows(WrongThreadException.class, () -> {
                    TensorScope[] theirs = new TensorScope[1];
                    Thread maker = new Thread(() -> theirs[0] = TensorScope.open());
                    maker.start();
                    maker.join();
                    t.moveTo(theirs[0]);
                });
                assertEquals(1, open.size());
            }
            assertTrue(t.isClosed(), "freed by the scope it was moved to");
        }
        assertEquals(before, Torch.liveTensors());
    }
}
