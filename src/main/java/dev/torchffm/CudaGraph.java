package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeObject;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.MemorySegment;
import java.util.function.ToIntBiFunction;

/**
 * A CUDA graph: the GPU work of a piece of code recorded once and replayed with one launch, as
 * {@code torch.cuda.CUDAGraph}. On a GPU a small net like LeNet is bound by launch overhead, so
 * replaying a captured training step is much faster than running it op by op.
 *
 * <p>The captured code must use fixed shapes and fixed tensors: copy new inputs into the tensors it
 * reads before each {@link #replay()}. Warm-up and capture run on a side stream of the calling OS
 * thread, so they must run on a platform thread, not a virtual one.
 */
public final class CudaGraph extends NativeObject implements AutoCloseable {
    private final Device device;

    /** A new, empty graph for {@code device}; {@link TorchException} when the shim has no CUDA. */
    public CudaGraph(Device device) {
        super(create(device), "CUDA graph", TorchFfm::tffm_graph_free);
        this.device = device;
    }

    private static MemorySegment create(Device device) {
        if (!device.isCuda()) {
            throw new IllegalArgumentException("CUDA graphs need a CUDA device, got " + device);
        }
        CallContext c = CallContext.get();
        return c.check(TorchFfm.tffm_graph_new(c.ctx(), device.index()));
    }

    public Device device() {
        return device;
    }

    /** Runs {@code work} eagerly on the graph's side stream (PyTorch warms up there before capturing). */
    public void warmUp(Runnable work) {
        requirePlatformThread();
        CallContext c = CallContext.get();
        c.check(statusOf(TorchFfm::tffm_graph_warmup_begin));
        try {
            work.run();
        } finally {
            c.check(statusOf(TorchFfm::tffm_graph_warmup_end));
        }
    }

    /** Records the GPU work of {@code work} (which is not executed on the GPU now). */
    public void capture(Runnable work) {
        requirePlatformThread();
        CallContext c = CallContext.get();
        c.check(statusOf(TorchFfm::tffm_graph_capture_begin));
        boolean ok = false;
        try {
            work.run();
            ok = true;
        } finally {
            int status = statusOf(TorchFfm::tffm_graph_capture_end);
            if (ok) {
                c.check(status);
            } else {
                c.discardError(); // the failure of work is the one to report
            }
        }
    }

    /** Queues one replay of the captured work; does not wait for it. */
    public void replay() {
        CallContext.get().check(statusOf(TorchFfm::tffm_graph_replay));
    }

    // One call on the graph's handle, held meanwhile; returns the call's status.
    private int statusOf(ToIntBiFunction<MemorySegment, MemorySegment> action) {
        MemorySegment h = acquire();
        try {
            return action.applyAsInt(CallContext.get().ctx(), h);
        } finally {
            release();
        }
    }

    private static void requirePlatformThread() {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("CUDA graph warm-up and capture need a platform thread: the side stream"
                    + " is set on the OS thread, and a virtual thread may move between OS threads");
        }
    }
}
