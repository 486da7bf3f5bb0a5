package dev.torchffm.data;

import java.lang.foreign.MemorySegment;

/** Examples stored one after another in two segments (Java arrays are heap segments). */
final class SegmentDataset implements Dataset {
    private final MemorySegment inputs, labels;
    private final TensorSpec input, label;
    private final long size;

    SegmentDataset(MemorySegment inputs, TensorSpec input, MemorySegment labels, TensorSpec label) {
        long yb = label.byteSize();
        if (yb == 0 || labels.byteSize() % yb != 0) {
            throw new IllegalArgumentException(
                    "the labels hold " + labels.byteSize() + " bytes, not a whole number of " + label + " labels");
        }
        size = labels.byteSize() / yb;
        if (inputs.byteSize() != size * input.byteSize()) {
            throw new IllegalArgumentException(size + " labels need " + size * input.byteSize() + " bytes of " + input
                    + " inputs, got " + inputs.byteSize());
        }
        this.inputs = inputs;
        this.labels = labels;
        this.input = input;
        this.label = label;
    }

    @Override
    public long size() {
        return size;
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
        long xb = input.byteSize();
        long yb = label.byteSize();
        MemorySegment.copy(inputs, index * xb, x, 0, xb);
        MemorySegment.copy(labels, index * yb, y, 0, yb);
    }
}
