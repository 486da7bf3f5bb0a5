package dev.torchffm.train;

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
        boolean wasTraining = net.isTraining();
        net.eval();
        try (NoGrad g = Torch.noGrad(); Counter correct = new Counter(images.device())) {
            for (Batch b : Batches.sequential(images, labels, batchSize)) {
                try (TensorScope step = TensorScope.open()) {
                    correct.add(Metrics.correct(net.forward(b.x()), b.y()));
                }
            }
            return correct.value() / images.size(0);
        } finally {
            if (wasTraining) {
                net.train();
            }
        }
    }
}
