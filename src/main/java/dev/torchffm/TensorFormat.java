package dev.torchffm;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@link Tensor#toString()}: the values as PyTorch prints them, {@code tensor([[0.1000, 0.2000], ...])},
 * with PyTorch's print defaults: more than 1,000 elements are summarised to the first and last three
 * entries of each long dimension; the dtype is named unless it is float32, int64 or bool; the device
 * unless it is the CPU.
 */
final class TensorFormat {
    private static final long THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        if (t.isClosed()) {
            return "tensor(closed)";
        }
        try {
            return values(t);
        } catch (IllegalStateException e) { // borrowed memory that has been freed
            return "tensor(unavailable: " + e.getMessage() + ")";
        }
    }

    private static String values(Tensor t) {
        long[] shape = t.shape();
        DType dtype = t.dtype();
        Device device = t.device();
        boolean summarize = t.numel() > THRESHOLD;
        double[] values;
        long[] shown = shape.clone();
        // The temporaries go with this scope; without autograd nothing joins the tensor's graph.
        try (TensorScope scope = TensorScope.open();
                NoGrad g = Torch.noGrad()) {
            Tensor v = t;
            for (int d = 0; summarize && d < shape.length; d++) {
                if (shape[d] > 2 * EDGE) {
                    long n = shape[d];
                    v = v.indexSelect(d, Tensor.of(new long[] {0, 1, 2, n - 3, n - 2, n - 1}));
                    shown[d] = 2 * EDGE;
                }
            }
            values = v.to(Device.CPU).to(DType.FLOAT64).toDoubleArray();
        }
        StringBuilder out = new StringBuilder("tensor(");
        if (values.length == 0) {
            out.append("[]");
        } else {
            String[] cells = cells(values, dtype);
            int width = Arrays.stream(cells).mapToInt(String::length).max().orElse(0);
            append(out, cells, width, shape, shown, 0, 0, "tensor(".length());
        }
        if (values.length == 0 && shape.length != 1) {
            out.append(", size=(")
                    .append(String.join(
                            ", ", Arrays.stream(shape).mapToObj(Long::toString).toList()))
                    .append(shape.length == 1 ? ",)" : ")");
        }
        if (device.isCuda()) {
            out.append(", device='").append(device).append('\'');
        }
        if (dtype != DType.FLOAT32 && dtype != DType.INT64 && dtype != DType.BOOL) {
            out.append(", dtype=torch.").append(dtype);
        }
        if (t.requiresGrad()) {
            out.append(", requires_grad=True");
        }
        return out.append(')').toString();
    }

    // Appends the block of dimension `dim` starting at flat index `offset` of the shown values.
    private static int append(
            StringBuilder out, String[] cells, int width, long[] shape, long[] shown, int dim, int offset, int indent) {
        if (dim == shape.length) {
            out.append(" ".repeat(width - cells[offset].length())).append(cells[offset]);
            return offset + 1;
        }
        boolean cut = shown[dim] != shape[dim];
        String separator = dim == shape.length - 1
                ? ", "
                : "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + dim + 1);
        out.append('[');
        for (int i = 0; i < shown[dim]; i++) {
            if (i > 0) {
                out.append(separator);
            }
            if (cut && i == EDGE) {
                out.append(dim == shape.length - 1 ? " ..." : "...").append(separator);
            }
            offset = append(out, cells, width, shape, shown, dim + 1, offset, indent);
        }
        out.append(']');
        return offset;
    }

    private static String[] cells(double[] values, DType dtype) {
        String[] cells = new String[values.length];
        if (dtype == DType.BOOL) {
            for (int i = 0; i < values.length; i++) {
                cells[i] = values[i] != 0 ? "True" : "False";
            }
        } else if (!dtype.isFloatingPoint()) {
            for (int i = 0; i < values.length; i++) {
                cells[i] = Long.toString((long) values[i]);
            }
        } else {
            boolean whole = Arrays.stream(values).allMatch(v -> !Double.isFinite(v) || v == Math.rint(v));
            String pattern = scientific(values, whole) ? "%.4e" : whole ? "%.0f." : "%.4f";
            for (int i = 0; i < values.length; i++) {
                double v = values[i];
                cells[i] = Double.isNaN(v)
                        ? "nan"
                        : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : String.format(Locale.ROOT, pattern, v);
            }
        }
        return cells;
    }

    // PyTorch's rule: scientific notation beyond 1e8, or (for fractions) when the finite magnitudes
    // span more than 1e3 or go below 1e-4; whole numbers print as "3.".
    private static boolean scientific(double[] values, boolean whole) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : values) {
            double a = Math.abs(v);
            if (a != 0 && Double.isFinite(a)) {
                min = Math.min(min, a);
                max = Math.max(max, a);
            }
        }
        return max > 1e8 || (!whole && max > 0 && (max / min > 1000 || min < 1e-4));
    }
}
