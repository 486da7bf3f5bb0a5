package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.torchffm.internal.bindings.TorchFfm;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DType, Device.Type and TorchException.Kind use the C API's constants, and unknown codes fail loudly. */
class NativeCodesTest {
    @Test
    void dtypesMapTheHeaderConstants() {
        Map<DType, Integer> expected = Map.of(
                DType.UINT8,
                TorchFfm.TFFM_DTYPE_UINT8(),
                DType.INT8,
                TorchFfm.TFFM_DTYPE_INT8(),
                DType.INT32,
                TorchFfm.TFFM_DTYPE_INT32(),
                DType.INT64,
                TorchFfm.TFFM_DTYPE_INT64(),
                DType.FLOAT32,
                TorchFfm.TFFM_DTYPE_FLOAT32(),
                DType.FLOAT64,
                TorchFfm.TFFM_DTYPE_FLOAT64(),
                DType.BOOL,
                TorchFfm.TFFM_DTYPE_BOOL());
        assertEquals(expected.size(), DType.values().length);
        Set<Integer> codes = new HashSet<>();
        for (DType t : DType.values()) {
            assertEquals((int) expected.get(t), t.code());
            assertEquals(t, DType.of(t.code()));
            codes.add(t.code());
            try (Tensor x = Tensor.zeros(t, Device.CPU, 1)) {
                assertEquals(t, x.dtype(), "LibTorch reports the same code back");
            }
        }
        assertEquals(DType.values().length, codes.size(), "codes are distinct");
        for (int bad : new int[] {2, 5, 8, 15, -1, 99}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.of(bad));
            assertEquals("LibTorch dtype code " + bad + " is not supported by torchffm", e.getMessage());
        }
    }

    @Test
    void deviceTypesMapTheHeaderConstants() {
        assertEquals(TorchFfm.TFFM_DEVICE_CPU(), Device.Type.CPU.code);
        assertEquals(TorchFfm.TFFM_DEVICE_CUDA(), Device.Type.CUDA.code);
        assertEquals(Device.Type.CUDA, Device.Type.of(TorchFfm.TFFM_DEVICE_CUDA()));
        assertEquals(Device.CPU, Device.of(TorchFfm.TFFM_DEVICE_CPU(), -1));
        assertEquals(new Device(Device.Type.CUDA, 1), Device.of(TorchFfm.TFFM_DEVICE_CUDA(), 1));
        assertThrows(IllegalArgumentException.class, () -> Device.of(7, 0));
        try (Tensor x = Tensor.zeros(DType.FLOAT32, Device.CPU, 1)) {
            assertEquals(Device.CPU, x.device());
        }
    }

    @Test
    void errorKindsMapTheHeaderConstants() {
        assertEquals(
                TorchException.Kind.INVALID_ARGUMENT, TorchException.Kind.of(TorchFfm.TFFM_ERR_INVALID_ARGUMENT()));
        assertEquals(TorchException.Kind.OUT_OF_MEMORY, TorchException.Kind.of(TorchFfm.TFFM_ERR_OUT_OF_MEMORY()));
        assertEquals(TorchException.Kind.INTERNAL, TorchException.Kind.of(TorchFfm.TFFM_ERR_INTERNAL()));
        assertEquals(TorchException.Kind.INTERNAL, TorchException.Kind.of(TorchFfm.TFFM_ERR_UNKNOWN()));
        assertEquals(TorchException.Kind.DISTRIBUTED, TorchException.Kind.of(TorchFfm.TFFM_ERR_DISTRIBUTED()));
        for (int bad : new int[] {TorchFfm.TFFM_OK(), -1, 6, 42}) {
            assertThrows(IllegalArgumentException.class, () -> TorchException.Kind.of(bad));
        }
    }
}
