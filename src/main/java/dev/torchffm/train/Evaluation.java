package dev.torchffm.train;

import dev.torchffm.MemoryFormat;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.data.Batch;
import dev.torchffm.data.Batches;
import dev.torchffm.nn.Module;

/** Accuracy of a classifier on a labelled set, in eval mode and without autograd. */
public final class Evaluation {
    private Evaluation() {}

    /** The fraction of {@code images} whose argmax class equals the label. */
    public static double accuracy(Module net, Tensor images, Tensor labels, int batchSize) {
        return accuracy(net, Batches.sequential(images, labels, batchSize));
    }

    /** The fraction of the examples in {@code batches} whose argmax class equals the label. */
    public static double accuracy(Module net, Iterable<Batch> batches) {
        return accuracy(net, batches, null);
    }

    /** As {@link #accuracy(Module, Iterable)}, with 4-d inputs laid out in {@code inputFormat} (null: as given). */
    static double accuracy(Module net, Iterable<Batch> batches, MemoryFormat inputFormat) {
        boolean wasTraining = net.isTraining();
        net.eval();
        Counter correct = null;
        long n = 0;
        try (NoGrad g = Torch.noGrad()) {
            for (Batch b : batches) {
                try (TensorScope step = TensorScope.open();
                        b) {
                    if (correct == null) {
                        correct = new Counter(b.x().device());
                    }
                    correct.add(Metrics.correct(net.forward(TrainStep.laidOut(b.x(), inputFormat)), b.y()));
                    n += b.size();
                }
            }
            return n == 0 ? 0 : correct.value() / n;
        } finally {
            if (correct != null) {
                correct.close();
            }
            if (wasTraining) {
                net.train();
            }
        }
    }
}
