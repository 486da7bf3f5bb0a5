package dev.torchffm.train;

import dev.torchffm.CudaGraph;
import dev.torchffm.DType;
import dev.torchffm.Tensor;
import dev.torchffm.data.Batch;

/**
 * Runs batches of the first batch's size through one CUDA graph: the first {@value #WARMUP}
 * batches run eagerly on the graph's side stream (as PyTorch warms up before capturing), the next
 * is captured and every batch from then on is a copy into fixed input tensors plus one replay.
 * Batches of another size (the last, partial one) run eagerly.
 */
final class GraphedStep implements AutoCloseable {
    static final int WARMUP = 3;

    private final TrainStep step;
    private long batchSize = -1;
    private final CudaGraph graph;
    private Tensor x;
    private Tensor y;
    private int seen;

    GraphedStep(TrainStep step, dev.torchffm.Device device) {
        this.step = step;
        this.graph = new CudaGraph(device);
    }

    void run(Batch b) {
        if (batchSize < 0) {
            batchSize = b.size();
        }
        if (b.size() != batchSize) {
            step.run(b.x(), b.y());
            return;
        }
        if (seen < WARMUP) {
            seen++;
            graph.warmUp(() -> step.run(b.x(), b.y()));
            return;
        }
        if (x == null) {
            x = Tensor.zeros(DType.FLOAT32, b.x().device(), b.x().shape()).keep();
            y = Tensor.zeros(DType.INT64, b.y().device(), b.y().shape()).keep();
            x.assign(b.x());
            y.assign(b.y());
            graph.capture(() -> step.run(x, y));
        } else {
            x.assign(b.x());
            y.assign(b.y());
        }
        graph.replay();
    }

    @Override
    public void close() {
        graph.close();
        if (x != null) {
            x.close();
            y.close();
        }
    }
}
