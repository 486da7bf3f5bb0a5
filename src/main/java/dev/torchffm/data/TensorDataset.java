package dev.torchffm.data;

import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** The rows of two tensors; a batch is gathered with one index_select per tensor. */
final class TensorDataset extends FixedDataset {
    private final Tensor inputs, labels;

    TensorDataset(Tensor inputs, Tensor labels) {
        super(rows(inputs, labels), rowSpec(inputs), rowSpec(labels));
        this.inputs = inputs;
        this.labels = labels;
    }

    private static long rows(Tensor inputs, Tensor labels) {
        if (inputs.dim() < 1 || labels.dim() < 1 || inputs.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("inputs " + Arrays.toString(inputs.shape()) + " and labels "
                    + Arrays.toString(labels.shape()) + " must have the same number of rows");
        }
        return inputs.size(0);
    }

    private static TensorSpec rowSpec(Tensor t) {
        return new TensorSpec(t.dtype(), Arrays.copyOfRange(t.shape(), 1, t.dim()));
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
