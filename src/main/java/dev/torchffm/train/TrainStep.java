package dev.torchffm.train;

import dev.torchffm.Functional;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.distributed.DistributedDataParallel;
import dev.torchffm.nn.Module;
import dev.torchffm.optim.SGD;

/**
 * One SGD step on a batch, adding the batch's summed loss and correct count to the counters on the
 * device; with {@code ddp} (may be null) the gradients are averaged across ranks before the update.
 * Used as is (eager) or recorded into a CUDA graph.
 */
record TrainStep(Module net, SGD sgd, Counter lossSum, Counter correct, DistributedDataParallel ddp) {
    void run(Tensor x, Tensor y) {
        try (TensorScope step = TensorScope.open()) {
            sgd.zeroGrad();
            Tensor logits = net.forward(x);
            Tensor loss = Functional.crossEntropy(logits, y);
            loss.backward();
            if (ddp != null) {
                ddp.averageGradients();
            }
            sgd.step();
            lossSum.add(loss.detach().mul(x.size(0)));
            correct.add(Metrics.correct(logits.detach(), y));
        }
    }
}
