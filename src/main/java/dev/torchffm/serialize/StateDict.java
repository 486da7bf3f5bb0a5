package dev.torchffm.serialize;

import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.nn.Module;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints in PyTorch's format: {@link #save} writes a module's parameters as the state_dict file
 * Python's {@code torch.save} writes, which {@code torch.load} reads with its safe default
 * ({@code weights_only=True}) and {@code load_state_dict} takes; {@link #load} reads one that Python
 * wrote with {@code torch.save(net.state_dict(), f)} or that {@link #save} wrote. Both directions are
 * pure Java: no LibTorch pickler is involved.
 *
 * <p>Reading costs memory in proportion to what the file holds: see {@link #read} for the limits.
 */
public final class StateDict {
    private StateDict() {}

    /**
     * Writes {@code module}'s state_dict (parameters and buffers, see {@link Module#stateDict()}), named
     * as PyTorch names them, to {@code file}. The file is
     * replaced in one step once it is complete: a save that fails leaves an existing file as it was.
     *
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void save(Module module, Path file) {
        TorchZipWriter.write(file, module.stateDict());
    }

    /**
     * Reads every named tensor of {@code file}, in the file's order, as CPU tensors that belong to the
     * current scope. The file must be a PyTorch zip checkpoint of a dict of str to tensor: Python's
     * {@code torch.save(net.state_dict(), f)} (PyTorch 1.6 or later) or {@link #save}. It is read in
     * Java by a restricted unpickler that runs no code from the file.
     *
     * <p>Tensors that share a storage in the file share it in memory, as after {@code torch.load};
     * views that are not contiguous are copied. Limits where PyTorch has none (system properties):
     * {@code torchffm.checkpoint.maxPickleBytes} (default 16 MiB) for the file's {@code data.pkl},
     * and {@code torchffm.checkpoint.copyAllowanceBytes} (default 1 MiB) for how far the copies of
     * non-contiguous views may exceed the file's tensor data.
     *
     * @throws java.io.UncheckedIOException when the file cannot be read (missing, unreadable)
     * @throws dev.torchffm.MalformedFileException when the file is not such a checkpoint (not a zip,
     *     damaged, legacy format, other objects than a dict of str to tensor, an unsupported dtype,
     *     over a limit); the message names the file
     */
    public static LinkedHashMap<String, Tensor> read(Path file) {
        return TorchZipReader.read(file);
    }

    /**
     * Copies the tensors of {@code file} into {@code module}'s parameters and buffers in place (on
     * whatever device they are). The file must hold exactly the module's state_dict names with equal
     * shapes.
     *
     * @throws java.io.UncheckedIOException when the file cannot be read (missing, unreadable)
     * @throws dev.torchffm.MalformedFileException naming the file when it is not a checkpoint
     *     {@link #read} can read
     * @throws IllegalArgumentException naming the missing, unexpected or mis-shaped entries
     */
    public static void load(Module module, Path file) {
        Map<String, Tensor> params = module.stateDict();
        try (TensorScope scope = TensorScope.open()) {
            Map<String, Tensor> saved = read(file);
            List<String> problems = new ArrayList<>();
            params.keySet().stream().filter(k -> !saved.containsKey(k)).forEach(k -> problems.add("missing " + k));
            saved.keySet().stream().filter(k -> !params.containsKey(k)).forEach(k -> problems.add("unexpected " + k));
            params.forEach((name, p) -> {
                Tensor s = saved.get(name);
                if (s != null && !Arrays.equals(s.shape(), p.shape())) {
                    problems.add(name + " has shape " + Arrays.toString(s.shape()) + " in the file but "
                            + Arrays.toString(p.shape()) + " in the module");
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(file + " does not fit the module: " + String.join("; ", problems));
            }
            try (NoGrad g = Torch.noGrad()) {
                params.forEach((name, p) -> p.assign(saved.get(name)));
            }
        }
    }
}
