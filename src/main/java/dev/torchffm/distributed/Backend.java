package dev.torchffm.distributed;

import dev.torchffm.Device;
import dev.torchffm.internal.NativeLoader;
import dev.torchffm.internal.bindings.TorchFfm;

/** The c10d backend a group runs its collectives on. */
public enum Backend {
    /** Gloo: CPU tensors, over TCP. */
    GLOO(TorchFfm.TFFM_PG_BACKEND_GLOO()),
    /** NCCL: CUDA tensors; only in CUDA builds of the library. */
    NCCL(TorchFfm.TFFM_PG_BACKEND_NCCL());

    final int code;

    Backend(int code) {
        this.code = code;
    }

    /** The backend for tensors on {@code device}, as torch.distributed picks it. */
    public static Backend forDevice(Device device) {
        return device.isCuda() ? NCCL : GLOO;
    }

    /** Whether this library was built with the backend. */
    public boolean isAvailable() {
        NativeLoader.load();
        return TorchFfm.tffm_pg_backend_available(code) != 0;
    }
}
