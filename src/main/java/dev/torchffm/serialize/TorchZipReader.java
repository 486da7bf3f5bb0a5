package dev.torchffm.serialize;

import static dev.torchffm.serialize.Python.describe;

import dev.torchffm.Device;
import dev.torchffm.MalformedFileException;
import dev.torchffm.Tensor;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;

/**
 * Reads a PyTorch zip checkpoint that holds a dict of {@code str} to tensor, such as Python's
 * {@code torch.save(net.state_dict(), f)} or LibTorch's {@code torch::pickle_save} of a
 * {@code c10::Dict<std::string, at::Tensor>}, in pure Java.
 *
 * <p>Memory follows what the file holds, not what it declares. Each storage record is read once,
 * only as far as its tensors reach, in chunks allocated as the data arrives. Tensors that are a
 * dense block of their storage (contiguous, transposed or permuted) become views of one CPU tensor
 * holding it, so entries that share a storage share it in memory too, as after Python's
 * {@code torch.load}. Other views (steps, stride-0 expansions) are copied; together these copies
 * may take as many bytes as the file's tensor data plus {@link ReadLimits#copyAllowanceBytes()},
 * and a file asking for more is refused.
 */
final class TorchZipReader {
    private TorchZipReader() {}

    /**
     * Reads every named tensor of {@code file}, in the file's order, as CPU tensors (which belong to
     * the current {@link dev.torchffm.TensorScope}, or to the caller when none is open).
     *
     * @throws java.io.UncheckedIOException when the file cannot be read (missing, unreadable)
     * @throws MalformedFileException when the file is not a PyTorch zip checkpoint holding a dict of
     *     str to tensor of a dtype torchffm supports, is damaged, or asks for more than the limits
     */
    static LinkedHashMap<String, Tensor> read(Path file) {
        Objects.requireNonNull(file, "file");
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("torchffm reads checkpoints only on little-endian hosts");
        }
        ReadLimits limits = ReadLimits.fromSystemProperties();
        try (CheckpointArchive archive = CheckpointArchive.open(file)) {
            Object top = new Unpickler(file, archive.pickle(limits.maxPickleBytes())).load();
            return new Build(file, archive, limits).run(entries(file, top));
        }
    }

    /** Checks that {@code top} is a dict of str to tensor. */
    private static LinkedHashMap<String, TensorRef> entries(Path file, Object top) {
        if (!(top instanceof Map<?, ?> dict)) {
            throw new MalformedFileException(
                    file, "it holds " + describe(top) + ", not a dict of tensors (a state_dict)");
        }
        LinkedHashMap<String, TensorRef> refs = new LinkedHashMap<>();
        for (var e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new MalformedFileException(
                        file,
                        "it has a dict key that is " + describe(e.getKey())
                                + ", not a str; torchffm reads dicts of str to tensor");
            }
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new MalformedFileException(
                        file,
                        "entry '" + name + "' is " + describe(e.getValue())
                                + ", not a tensor; torchffm reads dicts of str to tensor");
            }
            refs.put(name, ref);
        }
        return refs;
    }

    /** The tensors of one storage record: how far they reach into it, and which entries they are. */
    private static final class Plan {
        final StorageRef storage;
        final List<Integer> entries = new ArrayList<>();
        long reach;

        Plan(StorageRef storage) {
            this.storage = storage;
        }
    }

    /** Reads the storages one after the other and makes each entry's tensor. */
    private static final class Build {
        private final Path file;
        private final CheckpointArchive archive;
        private final ReadLimits limits;
        private long dataBytes;
        private long copiedBytes;

        Build(Path file, CheckpointArchive archive, ReadLimits limits) {
            this.file = file;
            this.archive = archive;
            this.limits = limits;
        }

        LinkedHashMap<String, Tensor> run(LinkedHashMap<String, TensorRef> refs) {
            List<String> names = List.copyOf(refs.keySet());
            List<TensorRef> list = List.copyOf(refs.values());
            Map<String, Plan> plans = plan(names, list);
            Tensor[] out = new Tensor[list.size()];
            try {
                for (int i = 0; i < out.length; i++) {
                    if (list.get(i).reach() == 0) {
                        out[i] = Tensor.zeros(
                                list.get(i).storage().dtype(),
                                Device.CPU,
                                list.get(i).size());
                    }
                }
                for (Plan plan : plans.values()) {
                    build(plan, names, list, out);
                }
                LinkedHashMap<String, Tensor> result = new LinkedHashMap<>();
                for (int i = 0; i < out.length; i++) {
                    result.put(names.get(i), out[i]);
                }
                return result;
            } catch (RuntimeException | Error e) {
                Arrays.stream(out).filter(Objects::nonNull).forEach(Tensor::close);
                throw e;
            }
        }

        // Checks every view against its storage record before anything is read.
        private Map<String, Plan> plan(List<String> names, List<TensorRef> refs) {
            Map<String, Plan> plans = new LinkedHashMap<>();
            for (int i = 0; i < refs.size(); i++) {
                String name = names.get(i);
                TensorRef ref = refs.get(i);
                long reach = checkShape(name, ref);
                if (reach == 0) {
                    continue;
                }
                Plan plan = plans.computeIfAbsent(ref.storage().key(), k -> new Plan(ref.storage()));
                if (plan.storage.dtype() != ref.storage().dtype()) {
                    throw new MalformedFileException(
                            file,
                            "storage '" + ref.storage().key() + "' is " + plan.storage.dtype() + " for one tensor but "
                                    + ref.storage().dtype() + " for '" + name + "'");
                }
                ZipEntry record = archive.record(ref.storage().key());
                if (record == null) {
                    throw new MalformedFileException(
                            file,
                            "it lacks the data record '"
                                    + archive.recordName(ref.storage().key()) + "' of tensor '" + name + "'");
                }
                long available = record.getSize() < 0
                        ? Long.MAX_VALUE
                        : record.getSize() / ref.storage().dtype().byteSize();
                if (reach > available) {
                    throw new MalformedFileException(
                            file,
                            "tensor '" + name + "' (offset " + ref.offset() + ", size "
                                    + Arrays.toString(ref.size()) + ", stride " + Arrays.toString(ref.stride())
                                    + ") reaches past the " + available + " elements of its storage '"
                                    + ref.storage().key() + "'");
                }
                plan.reach = Math.max(plan.reach, reach);
                plan.entries.add(i);
            }
            return plans;
        }

        // The elements the view reaches into its storage (0 when it is empty), after checking its numbers.
        private long checkShape(String name, TensorRef ref) {
            long[] size = ref.size();
            long[] stride = ref.stride();
            if (size.length != stride.length) {
                throw new MalformedFileException(
                        file,
                        "tensor '" + name + "' has size " + Arrays.toString(size) + " but stride "
                                + Arrays.toString(stride));
            }
            if (ref.offset() < 0
                    || Arrays.stream(size).anyMatch(s -> s < 0)
                    || Arrays.stream(stride).anyMatch(s -> s < 0)) {
                throw new MalformedFileException(
                        file,
                        "tensor '" + name + "' has a negative offset, size or stride"
                                + " (offset " + ref.offset() + ", size " + Arrays.toString(size) + ", stride "
                                + Arrays.toString(stride) + ")");
            }
            try {
                long es = ref.storage().dtype().byteSize();
                long nonEmpty = es; // an empty tensor's other sizes still make strides: they must not overflow either
                for (long s : size) {
                    nonEmpty = Math.multiplyExact(nonEmpty, Math.max(s, 1));
                }
                Math.multiplyExact(ref.numel(), es); // the bytes of a copy
                long reach = ref.reach();
                Math.multiplyExact(reach, es); // the bytes read from the record
                return reach;
            } catch (ArithmeticException e) {
                throw new MalformedFileException(
                        file,
                        "tensor '" + name + "' (offset " + ref.offset() + ", size " + Arrays.toString(size)
                                + ", stride " + Arrays.toString(stride) + ") overflows 64 bits");
            }
        }

        private void build(Plan plan, List<String> names, List<TensorRef> refs, Tensor[] out) {
            long es = plan.storage.dtype().byteSize();
            try (StorageData data = archive.read(plan.storage.key(), plan.storage.dtype(), plan.reach * es)) {
                dataBytes += data.byteSize();
                Tensor whole = null;
                try {
                    for (int i : plan.entries) {
                        TensorRef ref = refs.get(i);
                        int[] order = ref.denseOrder();
                        if (order != null) {
                            if (whole == null) {
                                whole = data.toTensor(plan.reach);
                            }
                            out[i] = view(whole, ref, order);
                        } else {
                            chargeCopy(names.get(i), ref);
                            out[i] = StridedCopy.gather(ref, data);
                        }
                    }
                } finally {
                    if (whole != null) {
                        whole.close();
                    }
                }
            }
        }

        // The view `ref` of `whole`, a dense block in `order` (see TensorRef.denseOrder): shares its memory.
        private static Tensor view(Tensor whole, TensorRef ref, int[] order) {
            long[] blockSize = new long[order.length];
            long[] inverse = new long[order.length];
            for (int k = 0; k < order.length; k++) {
                blockSize[k] = ref.size()[order[k]];
                inverse[order[k]] = k;
            }
            try (Tensor flat = whole.narrow(0, ref.offset(), ref.numel())) {
                Tensor block = flat.reshape(blockSize);
                if (Arrays.equals(order, TensorRef.identity(order.length))) {
                    return block;
                }
                try (block) {
                    return block.permute(inverse);
                }
            }
        }

        private void chargeCopy(String name, TensorRef ref) {
            long bytes = ref.numel() * ref.storage().dtype().byteSize(); // checkShape saw it fit
            copiedBytes = bytes > Long.MAX_VALUE - copiedBytes ? Long.MAX_VALUE : copiedBytes + bytes;
            long limit = dataBytes + limits.copyAllowanceBytes();
            if (copiedBytes > limit) {
                throw new MalformedFileException(
                        file,
                        "tensor '" + name + "' (size " + Arrays.toString(ref.size())
                                + ", stride " + Arrays.toString(ref.stride())
                                + ") is a view that must be copied, and the"
                                + " copies of this file would take " + copiedBytes + " bytes, more than its "
                                + dataBytes
                                + " bytes of tensor data plus " + limits.copyAllowanceBytes() + "; raise -D"
                                + ReadLimits.COPY_ALLOWANCE_BYTES + " if the file is trusted");
            }
        }
    }
}
