package dev.torchffm.data;

import dev.torchffm.DType;
import dev.torchffm.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Labelled examples addressed by index, which a {@link DataLoader} batches: tensors, Java arrays,
 * memory segments, IDX files (the factories below), or a source of your own (implement
 * {@link #size}, {@link #input}, {@link #label} and {@link #read}).
 *
 * <p>Threads: a loader calls {@link #read} (through {@link #readBatch}) from a background thread,
 * one call at a time; an implementation must allow that (not rely on thread-confined state).
 */
public interface Dataset {
    /** The number of examples. */
    long size();

    /** The type and shape of one example's input. */
    TensorSpec input();

    /** The type and shape of one example's label. */
    TensorSpec label();

    /**
     * Writes example {@code index}'s input and label, in native byte order, into {@code input} and
     * {@code label}, which hold exactly {@code input().byteSize()} and {@code label().byteSize()} bytes.
     */
    void read(long index, MemorySegment input, MemorySegment label);

    /**
     * Writes the examples {@code indices} one after another into {@code inputs} and {@code labels}.
     * The default calls {@link #read} per example; a source that can gather faster overrides it.
     */
    default void readBatch(long[] indices, MemorySegment inputs, MemorySegment labels) {
        long xb = input().byteSize();
        long yb = label().byteSize();
        for (int i = 0; i < indices.length; i++) {
            read(indices[i], inputs.asSlice(i * xb, xb), labels.asSlice(i * yb, yb));
        }
    }

    /**
     * The rows of {@code inputs} and {@code labels} (dimension 0 indexes the examples; any device).
     * The tensors are read, never changed; they must stay open while the data set is used.
     */
    static Dataset of(Tensor inputs, Tensor labels) {
        return new TensorDataset(inputs, labels);
    }

    /**
     * float32 inputs of {@code exampleShape} each, from a Java array, with int64 class labels;
     * {@code inputs} holds {@code labels.length} examples one after another. The arrays are not
     * copied: do not change them while the data set is used.
     */
    static Dataset of(float[] inputs, long[] exampleShape, long[] labels) {
        return new SegmentDataset(
                MemorySegment.ofArray(inputs),
                new TensorSpec(DType.FLOAT32, exampleShape),
                MemorySegment.ofArray(labels),
                new TensorSpec(DType.INT64));
    }

    /**
     * Examples from memory (on or off the heap), one after another: {@code inputs} holds
     * {@code size} inputs of {@code input}, {@code labels} as many labels of {@code label}, where
     * size is the number of labels the segment holds. Not copied: keep the memory alive and unchanged
     * while the data set is used. A prefetching loader reads it on another thread, so it must come
     * from a shared or automatic arena (or be global or on the heap), not a confined one.
     */
    static Dataset of(MemorySegment inputs, TensorSpec input, MemorySegment labels, TensorSpec label) {
        return new SegmentDataset(inputs, input, labels, label);
    }

    /**
     * An IDX image file ([N, H, W] unsigned bytes, gzip-compressed or raw) and its IDX label file
     * ([N]), as MNIST and Fashion-MNIST ship: inputs are float32 [1, H, W] scaled to [0, 1], labels
     * int64. Both files are read into memory now.
     *
     * @throws dev.torchffm.MalformedFileException if a file is malformed or the counts disagree
     * @throws java.io.UncheckedIOException if a file is missing or unreadable
     */
    static Dataset idx(Path images, Path labels) {
        return IdxDataset.read(images, labels);
    }
}
