package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Deterministic release: scopes, explicit close, modules and borrowed memory. */
class OwnershipTest {
    @Test
    void closingAScopeFreesEverythingItOwns() {
        long before = Torch.liveTensors();
        Tensor kept;
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 4, 4);
            x.sigmoid().add(1).mul(x).sum();
            kept = x.relu().keep();
            assertEquals(before + 6, Torch.liveTensors());
            assertEquals(5, scope.size());
        }
        assertEquals(before + 1, Torch.liveTensors());
        assertFalse(kept.isClosed());
        kept.close();
        assertEquals(before, Torch.liveTensors());
    }

    @Test
    void nestedScopesOwnTheirOwnTensors() {
        long before = Torch.liveTensors();
        try (TensorScope outer = TensorScope.open()) {
            Tensor a = Tensor.ones(DType.FLOAT32, Device.CPU, 2);
            Tensor inner;
            try (TensorScope in = TensorScope.open()) {
                inner = a.mul(2);
                a.add(inner).moveTo(outer);
            }
            assertTrue(inner.isClosed());
            assertFalse(a.isClosed());
            assertEquals(2, outer.size());
        }
        assertEquals(before, Torch.liveTensors());
    }

    @Test
    void scopesCloseInnermostFirstOnTheirThread() throws Exception {
        try (TensorScope outer = TensorScope.open()) {
            TensorScope inner = TensorScope.open();
            assertThrows(IllegalStateException.class, outer::close);
            inner.close();
            Thread t = new Thread(() -> assertThrows(WrongThreadException.class, outer::close));
            t.start();
            t.join();
        }
    }

    @Test
    void closingFromAnotherThreadIsRefused() throws Exception {
        try (Tensor t = Tensor.ones(DType.FLOAT32, Device.CPU, 2)) {
            Throwable[] seen = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    t.close();
                } catch (Throwable e) {
                    seen[0] = e;
                }
                assertEquals(2.0, t.sum().item()); // reading from another thread is allowed
            });
            other.start();
            other.join();
            assertTrue(seen[0] instanceof WrongThreadException, String.valueOf(seen[0]));
            assertFalse(t.isClosed());
        }
    }

    @Test
    void modulesFreeTheirParametersAndSurviveScopes() {
        long before = Torch.liveTensors();
        Sequential net;
        try (TensorScope scope = TensorScope.open()) {
            net = LeNet.classic();
        }
        assertEquals(before + 10, Torch.liveTensors());
        try (TensorScope scope = TensorScope.open()) {
            net.forward(Tensor.rand(DType.FLOAT32, Device.CPU, 2, 1, 28, 28));
        }
        assertEquals(before + 10, Torch.liveTensors());
        net.close();
        assertEquals(before, Torch.liveTensors());
        assertThrows(
                IllegalStateException.class, () -> net.forward(Tensor.rand(DType.FLOAT32, Device.CPU, 1, 1, 28, 28)));
    }

    @Test
    void anOptimizerRefusesParametersThatWereReplaced() {
        try (Sequential net = LeNet.classic();
                dev.torchffm.optim.SGD sgd =
                        new dev.torchffm.optim.SGD(net.parameters(), dev.torchffm.optim.SGD.Options.lr(0.1))) {
            net.parameters().get(0).close(); // what Module.to(device) does to the old tensors
            IllegalStateException e = assertThrows(IllegalStateException.class, sgd::step);
            assertTrue(e.getMessage().contains("after Module.to(device)"), e.getMessage());
        }
    }

    @Test
    void borrowedTensorsViewCallerMemoryAndFailAfterItIsFreed() {
        Tensor view;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 4);
            view = Tensor.borrow(data, DType.FLOAT32, 2, 2);
            assertEquals(10.0, view.sum().item());
            data.setAtIndex(ValueLayout.JAVA_FLOAT, 0, 11);
            assertEquals(20.0, view.sum().item(), "a borrow is zero-copy");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, view::sum);
        assertTrue(e.getMessage().contains("freed"));
        view.close();
    }

    @Test
    void viewsOfABorrowedTensorAlsoFailAfterItsMemoryIsFreed() {
        Tensor reshaped;
        Tensor narrowed;
        try (Arena arena = Arena.ofConfined()) {
            Tensor view = Tensor.borrow(arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 4), DType.FLOAT32, 4)
                    .keep();
            reshaped = view.reshape(2, 2).keep();
            narrowed = view.narrow(0, 1, 2).keep();
            assertEquals(5.0, narrowed.sum().item());
            view.close();
        }
        assertThrows(IllegalStateException.class, reshaped::sum);
        assertThrows(IllegalStateException.class, narrowed::sum);
        reshaped.close();
        narrowed.close();
    }

    @Test
    void copyRoundTripsForEveryDType() {
        try (TensorScope scope = TensorScope.open()) {
            assertEquals(
                    java.util.List.of(1L, -2L),
                    java.util.Arrays.stream(Tensor.of(new long[] {1, -2}, 2).toLongArray())
                            .boxed()
                            .toList());
            assertEquals(3, Tensor.of(new int[] {1, 2, 3}, 3).toIntArray()[2]);
            assertEquals(-1.5, Tensor.of(new double[] {-1.5}, 1).toDoubleArray()[0]);
            byte[] bytes = Tensor.of(new byte[] {(byte) 200, 7}, DType.UINT8, 2).toByteArray();
            assertEquals(200, bytes[0] & 0xff);
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertEquals(DType.FLOAT32, x.dtype());
            assertEquals(Device.CPU, x.device());
            assertEquals(2, x.dim());
            assertEquals(6, x.numel());
            assertEquals(3, x.size(-1));
            assertEquals(DType.BOOL, x.eq(x).dtype());
            assertEquals(5.0, x.narrow(1, 0, 1).sum().item(), 1e-6);
        }
    }

    @Test
    void gradientsAccumulateAndZero() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
            assertFalse(w.hasGrad());
            w.mul(3).sum().backward();
            w.mul(3).sum().backward();
            assertEquals(12.0, w.grad().orElseThrow().sum().item(), "gradients accumulate");
            w.zeroGrad();
            assertEquals(0.0, w.grad().orElseThrow().sum().item());
        }
    }

    @Test
    void noGradRegionsRecordNoHistory() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = Tensor.ones(DType.FLOAT32, Device.CPU, 2).requiresGrad(true);
            try (NoGrad g = Torch.noGrad()) {
                assertFalse(Torch.isGradEnabled());
                assertFalse(w.mul(2).requiresGrad());
            }
            assertTrue(Torch.isGradEnabled());
            assertTrue(w.mul(2).requiresGrad());
        }
    }
}
