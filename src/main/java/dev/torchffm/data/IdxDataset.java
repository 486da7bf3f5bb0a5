package dev.torchffm.data;

import dev.torchffm.DType;
import dev.torchffm.MalformedFileException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** An IDX image file and its label file: float32 [1, H, W] inputs in [0, 1], int64 labels. */
final class IdxDataset extends FixedDataset {
    private final MemorySegment images, labels;
    private final long pixels;

    private IdxDataset(MemorySegment images, MemorySegment labels, int h, int w, long size) {
        super(size, new TensorSpec(DType.FLOAT32, 1, h, w), new TensorSpec(DType.INT64));
        this.images = images;
        this.labels = labels;
        this.pixels = (long) h * w;
    }

    static IdxDataset read(Path imageFile, Path labelFile) {
        // An automatic arena: the bytes live as long as the data set, and any thread may read them.
        Arena arena = Arena.ofAuto();
        IdxFile images = IdxFile.read(imageFile, arena, 3);
        IdxFile labels = IdxFile.read(labelFile, arena, 1);
        if (labels.count() != images.count()) {
            throw new MalformedFileException(
                    labelFile,
                    labels.count() + " labels, but " + imageFile.getFileName() + " holds " + images.count()
                            + " images");
        }
        int[] d = images.dims();
        return new IdxDataset(images.data(), labels.data(), d[1], d[2], images.count());
    }

    @Override
    public void read(long index, MemorySegment x, MemorySegment y) {
        long base = index * pixels;
        for (long i = 0; i < pixels; i++) {
            int v = Byte.toUnsignedInt(images.get(ValueLayout.JAVA_BYTE, base + i));
            x.setAtIndex(ValueLayout.JAVA_FLOAT, i, v / 255f);
        }
        y.set(ValueLayout.JAVA_LONG, 0, Byte.toUnsignedInt(labels.get(ValueLayout.JAVA_BYTE, index)));
    }
}
