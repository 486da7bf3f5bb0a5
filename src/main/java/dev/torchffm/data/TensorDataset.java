package dev.torchffm.data;

import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** The rows of two tensors; a batch is gathered with one index_select per tensor. */
final class TensorDataset implements Dataset {
    private final Tensor inputs, labels;
    private final TensorSpec input, label;

    TensorDataset(Tensor inputs, Tensor labels) {
        if (inputs.dim() < 1 || labels.dim() < 1 || inputs.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("inputs " + Arrays.toString(inputs.shape()) + " and labels "
                    + Arrays.toString(labels.shape()) + " must have the same number of rows");
        }
        this.inputs = inputs;
        this.labels = labels;
        input = new TensorSpec(inputs.dtype(), Arrays.copyOfRange(inputs.shape(), 1, inputs.dim()));
        label = new TensorSpec(labels.dtype(), Arrays.copyOfRange(labels.shape(), 1, labels.dim()));
    }

    @Override
    public long size() {
        return inputs.size(0);
    }

    @Override
    public TensorSpec input() {
        return input;
    }

    @Override
    public TensorSpec label() {
        return label;
    }

    @Override
    public void read(long index, MemorySegment x, MemorySegment y) {
        readBatch(new long[] {index}, x, y);
    }

    @Override
    public void readBatch(long[] indices, MemorySegment x, MemorySegment y) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor index = Tensor.of(indices, indices.length).to(inputs.device());
            inputs.indexSelect(0, index).writeTo(x);
            labels.indexSelect(0, index).writeTo(y);
        }
    }
}
