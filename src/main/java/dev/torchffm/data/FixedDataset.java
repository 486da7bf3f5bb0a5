package dev.torchffm.data;

/** The size and example types of the built-in data sets, fixed when they are made. */
abstract sealed class FixedDataset implements Dataset permits IdxDataset, SegmentDataset, TensorDataset {
    private final long size;
    private final TensorSpec input, label;

    FixedDataset(long size, TensorSpec input, TensorSpec label) {
        this.size = size;
        this.input = input;
        this.label = label;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final TensorSpec input() {
        return input;
    }

    @Override
    public final TensorSpec label() {
        return label;
    }
}
