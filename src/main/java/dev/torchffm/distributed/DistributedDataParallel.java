package dev.torchffm.distributed;

import dev.torchffm.Tensor;
import dev.torchffm.nn.Module;
import java.util.List;
import java.util.Objects;

/**
 * Keeps the replicas of a module on all ranks of a group equal, as PyTorch's
 * DistributedDataParallel does: rank 0's parameters are broadcast when it is made, and after every
 * backward pass {@link #averageGradients()} replaces each gradient by its mean over the ranks, with one
 * all-reduce per bucket of flattened gradients (not one per parameter). Each rank then takes the
 * same optimizer step, so the parameters stay identical.
 *
 * <pre>{@code
 * var ddp = new DistributedDataParallel(net, group);
 * for (Batch b : myShare) {
 *     sgd.zeroGrad();
 *     Functional.crossEntropy(net.forward(b.x()), b.y()).backward();
 *     ddp.averageGradients();
 *     sgd.step();
 * }
 * }</pre>
 */
public final class DistributedDataParallel {
    /** PyTorch DDP's default bucket size (25 MiB): the chapter's LeNet fits in one bucket. */
    public static final long DEFAULT_BUCKET_BYTES = 25L << 20;

    private final Module module;
    private final ProcessGroup group;
    private final List<Tensor> parameters;
    private final long bucketBytes;

    public DistributedDataParallel(Module module, ProcessGroup group) {
        this(module, group, DEFAULT_BUCKET_BYTES);
    }

    /** Wraps {@code module} and broadcasts rank 0's parameters to every rank (a collective). */
    public DistributedDataParallel(Module module, ProcessGroup group, long bucketBytes) {
        this.module = Objects.requireNonNull(module, "module");
        this.group = Objects.requireNonNull(group, "group");
        if (bucketBytes < 1) {
            throw new IllegalArgumentException("bucket size must be >= 1 byte, got " + bucketBytes);
        }
        this.bucketBytes = bucketBytes;
        this.parameters = module.parameters();
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("the module has no parameters");
        }
        group.broadcastCoalesced(parameters, 0, bucketBytes);
    }

    /** Replaces every parameter's gradient by its average over the ranks (a collective). */
    public void averageGradients() {
        group.averageGradients(parameters, bucketBytes);
    }

    public Module module() {
        return module;
    }

    public ProcessGroup group() {
        return group;
    }
}
