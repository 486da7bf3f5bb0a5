package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeObject;
import dev.torchffm.internal.bindings.TorchFfm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A TorchScript model, as Python writes it with {@code torch.jit.save(torch.jit.script(net), f)} or
 * {@code torch.jit.trace}: the model's code and weights in one file, run by LibTorch's interpreter
 * ({@code torch::jit::load}). For inference: it is in eval mode and {@link #forward} records no
 * autograd history. Holds native memory: close it (from the thread that loaded it; a {@code forward}
 * of another thread still running then finishes first).
 *
 * <pre>{@code
 * try (ScriptModule model = ScriptModule.load(Path.of("model.pt"), Device.CPU);
 *      TensorScope scope = TensorScope.open()) {
 *     Tensor logits = model.forward(images);
 * }
 * }</pre>
 */
public final class ScriptModule extends NativeObject implements AutoCloseable {
    private static final int MAX_OUTPUTS = 64;

    private final Path file;
    private final Device device;
    private final int inputCount;

    private ScriptModule(MemorySegment handle, Path file, Device device, int inputCount) {
        super(handle, "ScriptModule " + file, TorchFfm::tffm_script_free);
        this.file = file;
        this.device = device;
        this.inputCount = inputCount;
    }

    /**
     * Loads a TorchScript file with its weights on {@code device}.
     *
     * @throws UncheckedIOException (of a {@link NoSuchFileException}) when the file does not exist
     * @throws IllegalArgumentException naming the file when it is not TorchScript (for example a
     *     state_dict checkpoint: load those with {@code StateDict.load} into a module) or has no
     *     {@code forward} method
     */
    public static ScriptModule load(Path file, Device device) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(device, "device");
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new NoSuchFileException(file.toString(), null, "no such TorchScript file"));
        }
        CallContext c = CallContext.get();
        MemorySegment h;
        try (Arena arena = Arena.ofConfined()) {
            h = c.check(TorchFfm.tffm_script_load(
                    c.ctx(), arena.allocateFrom(file.toString()), device.typeCode(), device.indexCode()));
        } catch (TorchException e) {
            if (e.kind() != TorchException.Kind.INVALID_ARGUMENT) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        MemorySegment count = c.scratch();
        int status = TorchFfm.tffm_script_num_inputs(c.ctx(), h, count);
        if (status != TorchFfm.TFFM_OK()) {
            TorchFfm.tffm_script_free(h);
            c.check(status);
        }
        return new ScriptModule(h, file, device, (int) count.get(ValueLayout.JAVA_LONG, 0));
    }

    /**
     * Whether {@code file} looks like a TorchScript file: a PyTorch zip archive with the model's code
     * in it, as torch.jit.save writes, unlike a torch.save checkpoint (weights only). Reads the zip
     * directory only; false for a file that is not a zip archive.
     */
    public static boolean isTorchScript(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream()
                    .anyMatch(e -> e.getName().endsWith("/constants.pkl")
                            || e.getName().contains("/code/"));
        } catch (ZipException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the model's {@code forward} on {@code inputs}, which must be on {@link #device()}; the
     * result, which must be a single tensor, belongs to the current scope.
     *
     * @throws IllegalArgumentException when the number of inputs is not {@link #inputCount()}, an
     *     input is on another device, or the model returns a tuple or list (use {@link #forwardAll})
     * @throws TorchException when the model rejects the inputs (a wrong shape or dtype); the message
     *     names the inputs and the model's own error
     */
    public Tensor forward(Tensor... inputs) {
        Result r = run(inputs);
        if (!r.single()) {
            r.outputs().forEach(Tensor::close);
            throw new IllegalArgumentException("forward of " + file + " returned "
                    + r.outputs().size() + " tensors in a tuple or list; use forwardAll");
        }
        return r.outputs().get(0);
    }

    /**
     * Runs {@code forward} and returns every tensor of its result: one for a tensor, the elements
     * (flattened, in order) for a tuple or list. The tensors belong to the current scope.
     *
     * @throws IllegalArgumentException and {@link TorchException} as {@link #forward}
     */
    public List<Tensor> forwardAll(Tensor... inputs) {
        return run(inputs).outputs();
    }

    private record Result(List<Tensor> outputs, boolean single) {}

    private Result run(Tensor[] inputs) {
        if (inputs.length != inputCount) {
            throw new IllegalArgumentException(
                    "forward of " + file + " takes " + inputCount + " input(s), got " + inputs.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = Objects.requireNonNull(inputs[i], "input " + i);
            if (!t.device().equals(device)) {
                throw new IllegalArgumentException(
                        "input " + i + " is on " + t.device() + " but the model " + file + " is on " + device);
            }
        }
        CallContext c = CallContext.get();
        // The model and every input are held for the call: no other thread can free them under it.
        MemorySegment h = acquire();
        int held = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(ValueLayout.ADDRESS, Math.max(1, inputs.length));
            for (; held < inputs.length; held++) {
                in.setAtIndex(ValueLayout.ADDRESS, held, acquire(inputs[held]));
            }
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS, MAX_OUTPUTS);
            MemorySegment count = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment single = arena.allocate(ValueLayout.JAVA_INT);
            c.check(TorchFfm.tffm_script_forward(c.ctx(), h, in, inputs.length, out, MAX_OUTPUTS, count, single));
            long n = count.get(ValueLayout.JAVA_LONG, 0);
            List<Tensor> outputs = new ArrayList<>((int) n);
            for (int i = 0; i < n; i++) {
                outputs.add(Tensor.wrap(c, out.getAtIndex(ValueLayout.ADDRESS, i)));
            }
            return new Result(List.copyOf(outputs), single.get(ValueLayout.JAVA_INT, 0) != 0);
        } finally {
            for (int i = 0; i < held; i++) {
                release(inputs[i]);
            }
            release();
        }
    }

    /** The number of inputs {@code forward} takes. */
    public int inputCount() {
        return inputCount;
    }

    /** The device the model's weights are on. */
    public Device device() {
        return device;
    }

    /** The file it was loaded from. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "ScriptModule[" + file + " on " + device + ", " + inputCount + " input(s)]";
    }
}
