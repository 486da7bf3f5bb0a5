package dev.torchffm.data;

import java.lang.foreign.MemorySegment;

/** Examples stored one after another in two segments (Java arrays are heap segments). */
final class SegmentDataset extends FixedDataset {
    private final MemorySegment inputs, labels;

    SegmentDataset(MemorySegment inputs, TensorSpec input, MemorySegment labels, TensorSpec label) {
        super(count(inputs, input, labels, label), input, label);
        this.inputs = inputs;
        this.labels = labels;
    }

    // The number of examples, checked against both segments' sizes.
    private static long count(MemorySegment inputs, TensorSpec input, MemorySegment labels, TensorSpec label) {
        long yb = label.byteSize();
        if (yb == 0 || labels.byteSize() % yb != 0) {
            throw new IllegalArgumentException(
                    "the labels hold " + labels.byteSize() + " bytes, not a whole number of " + label + " labels");
        }
        long size = labels.byteSize() / yb;
        if (inputs.byteSize() != size * input.byteSize()) {
            throw new IllegalArgumentException(size + " labels need " + size * input.byteSize() + " bytes of " + input
                    + " inputs, got " + inputs.byteSize());
        }
        return size;
    }

    @Override
    public void read(long index, MemorySegment x, MemorySegment y) {
        long xb = input().byteSize();
        long yb = label().byteSize();
        MemorySegment.copy(inputs, index * xb, x, 0, xb);
        MemorySegment.copy(labels, index * yb, y, 0, yb);
    }
}
