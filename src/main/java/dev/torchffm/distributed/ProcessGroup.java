package dev.torchffm.distributed;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeObject;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;

/**
 * A c10d process group: the processes of one data-parallel job, each with a rank in {@code 0..size-1}.
 * Collectives must be called in the same order on every rank; each returns once the whole group has
 * taken part, or throws a {@link dev.torchffm.TorchException} of kind {@code DISTRIBUTED} within the
 * timeout when a peer died or stopped answering. Use a group from the thread that joined it; close it.
 *
 * <pre>{@code
 * try (ProcessGroup g = ProcessGroup.join(Rendezvous.parse("10.0.0.1:29500", rank, 4, Duration.ofMinutes(1)),
 *         Backend.GLOO)) {
 *     g.allReduce(t, ReduceOp.SUM);
 * }
 * }</pre>
 */
public final class ProcessGroup extends NativeObject implements AutoCloseable {
    private final int rank;
    private final int size;
    private final Backend backend;

    private ProcessGroup(MemorySegment handle, Backend backend) {
        super(handle, "process group", TorchFfm::tffm_pg_free);
        this.rank = TorchFfm.tffm_pg_rank(handle);
        this.size = TorchFfm.tffm_pg_size(handle);
        this.backend = backend;
    }

    /**
     * Joins the group: blocks until all {@code worldSize} ranks have arrived and agree on the world
     * size, or fails within the timeout, naming the cause (port in use, master unreachable, a rank
     * missing, a world-size mismatch).
     */
    public static ProcessGroup join(Rendezvous r, Backend backend) {
        Objects.requireNonNull(r, "rendezvous");
        if (!backend.isAvailable()) {
            throw new UnsupportedOperationException("this torchffm library was built without " + backend
                    + (backend == Backend.NCCL
                            ? " (it needs a CUDA LibTorch with NCCL)"
                            : " (install libgloo-dev and rebuild)"));
        }
        CallContext c = CallContext.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = c.check(TorchFfm.tffm_pg_new(
                    c.ctx(),
                    arena.allocateFrom(r.host()),
                    r.port(),
                    r.rank(),
                    r.worldSize(),
                    backend.code,
                    r.timeout().toMillis()));
            return new ProcessGroup(h, backend);
        }
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    public Backend backend() {
        return backend;
    }

    /** Overwrites {@code t} (contiguous) on every rank with the values it has on {@code root}. */
    public void broadcast(Tensor t, int root) {
        onTensor(t, "broadcast", (ctx, pg, tensor) -> TorchFfm.tffm_pg_broadcast(ctx, pg, tensor, root));
    }

    /** Replaces {@code t} (contiguous) on every rank with the reduction of all ranks' values. */
    public void allReduce(Tensor t, ReduceOp op) {
        onTensor(t, "allReduce", (ctx, pg, tensor) -> TorchFfm.tffm_pg_all_reduce(ctx, pg, tensor, op.code));
    }

    /** Returns when every rank has reached this barrier. */
    public void barrier() {
        call(TorchFfm::tffm_pg_barrier);
    }

    /** The element-wise sum over all ranks of {@code values} (float64), for figures kept on the host. */
    public double[] sum(double... values) {
        Device device = backend == Backend.NCCL ? Device.cuda(0) : Device.CPU;
        try (TensorScope s = TensorScope.open()) {
            Tensor t = Tensor.of(values, values.length).to(device);
            allReduce(t, ReduceOp.SUM);
            return t.to(Device.CPU).to(DType.FLOAT64).toDoubleArray();
        }
    }

    /**
     * Copies root's values of {@code tensors} into every rank's, flattened into one broadcast per
     * bucket of at most {@code bucketBytes} bytes.
     */
    public void broadcastCoalesced(List<Tensor> tensors, int root, long bucketBytes) {
        onTensors(
                tensors,
                "broadcastCoalesced",
                (ctx, pg, array) ->
                        TorchFfm.tffm_pg_broadcast_coalesced(ctx, pg, array, tensors.size(), root, bucketBytes));
    }

    /**
     * Averages the gradients of {@code parameters} across ranks, flattened into one all-reduce per
     * bucket of at most {@code bucketBytes} bytes. A parameter without a gradient takes part with zeros.
     */
    public void averageGradients(List<Tensor> parameters, long bucketBytes) {
        onTensors(
                parameters,
                null,
                (ctx, pg, array) -> TorchFfm.tffm_pg_average_gradients(ctx, pg, array, parameters.size(), bucketBytes));
    }

    private interface Call {
        int run(MemorySegment ctx, MemorySegment group, MemorySegment tensorOrArray);
    }

    // A collective that writes into t: the group and the tensor are held for the native call.
    private void onTensor(Tensor t, String what, Call call) {
        if (t.isReadOnly()) {
            throw new IllegalStateException(what + ": the tensor views read-only memory, which it would write");
        }
        MemorySegment h = acquire();
        try {
            MemorySegment th = acquire(t);
            try {
                CallContext c = CallContext.get();
                c.check(call.run(c.ctx(), h, th));
            } finally {
                release(t);
            }
        } finally {
            release();
        }
    }

    // A collective over a list (writes into the tensors when writeWhat is non-null).
    private void onTensors(List<Tensor> tensors, String writeWhat, Call call) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("no tensors");
        }
        if (writeWhat != null && tensors.stream().anyMatch(Tensor::isReadOnly)) {
            throw new IllegalStateException(writeWhat + ": a tensor views read-only memory, which it would write");
        }
        MemorySegment h = acquire();
        int held = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(ValueLayout.ADDRESS, tensors.size());
            for (; held < tensors.size(); held++) {
                array.setAtIndex(ValueLayout.ADDRESS, held, acquire(tensors.get(held)));
            }
            CallContext c = CallContext.get();
            c.check(call.run(c.ctx(), h, array));
        } finally {
            for (int i = 0; i < held; i++) {
                release(tensors.get(i));
            }
            release();
        }
    }

    @Override
    public String toString() {
        return "ProcessGroup[" + backend + ", rank " + rank + " of " + size + (isClosed() ? ", closed]" : "]");
    }
}
