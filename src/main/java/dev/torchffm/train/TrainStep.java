package dev.torchffm.train;

import dev.torchffm.Functional;
import dev.torchffm.MemoryFormat;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.distributed.DistributedDataParallel;
import dev.torchffm.nn.Module;
import dev.torchffm.optim.Optimizer;
import dev.torchffm.optim.SGD;

/**
 * One optimizer step on a batch, adding the batch's summed loss and correct count to the counters on
 * the device; with {@code ddp} (may be null) the gradients are averaged across ranks before the
 * update. Used as is (eager) or recorded into a CUDA graph. {@code inputFormat} (null: as given) and
 * {@code clearGrad} are the step's {@link Speedup}s; clearing applies to SGD, other optimizers zero.
 */
record TrainStep(
        Module net,
        Optimizer optimizer,
        Counter lossSum,
        Counter correct,
        DistributedDataParallel ddp,
        MemoryFormat inputFormat,
        boolean clearGrad) {
    void run(Tensor x, Tensor y) {
        try (TensorScope step = TensorScope.open()) {
            if (clearGrad && optimizer instanceof SGD sgd) {
                sgd.clearGrad();
            } else {
                optimizer.zeroGrad();
            }
            Tensor logits = net.forward(laidOut(x, inputFormat));
            Tensor loss = Functional.crossEntropy(logits, y);
            loss.backward();
            if (ddp != null) {
                ddp.averageGradients();
            }
            optimizer.step();
            lossSum.add(loss.detach().mul(x.size(0)));
            correct.add(Metrics.correct(logits.detach(), y));
        }
    }

    /** {@code x} in {@code format} when it is an image batch (4-d) and a format is asked for, else as is. */
    static Tensor laidOut(Tensor x, MemoryFormat format) {
        return format == null || x.dim() != 4 ? x : x.contiguous(format);
    }
}
