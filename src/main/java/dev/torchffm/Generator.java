package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeObject;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.Function;

/**
 * A random number generator of one device, as {@code torch.Generator(device).manual_seed(seed)}. The
 * random functions ({@link Tensor#rand}, {@link Tensor#randperm}, {@link Init}, the layers'
 * constructors, shuffled batches) take one optionally; without it they draw from LibTorch's one
 * default generator per device, shared by every thread.
 *
 * <p>A model built and trained with its own generator draws the same numbers whatever other threads
 * do: with the same seed it gives the same results as a run alone. A new generator draws what the
 * default generator draws after {@link Torch#manualSeed} with the same seed. Owned and closed like a
 * tensor; it may be used from several threads, but draws from several threads at once interleave in
 * no defined order.
 */
public final class Generator extends NativeObject implements AutoCloseable {
    private final Device device;

    private Generator(MemorySegment handle, Device device) {
        super(handle, "generator", TorchFfm::tffm_generator_free);
        this.device = device;
    }

    /** A CPU generator seeded with {@code seed}. */
    public static Generator cpu(long seed) {
        return of(Device.CPU, seed);
    }

    /** A generator of {@code device} (the CPU or a CUDA device) seeded with {@code seed}. */
    public static Generator of(Device device, long seed) {
        Objects.requireNonNull(device, "device");
        CallContext c = CallContext.get();
        return new Generator(
                c.check(TorchFfm.tffm_generator_new(c.ctx(), seed, device.typeCode(), device.indexCode())), device);
    }

    public Device device() {
        return device;
    }

    /** Reseeds this generator, as {@code Generator.manual_seed(seed)}. */
    public void manualSeed(long seed) {
        draw(this, g -> {
            CallContext c = CallContext.get();
            c.check(TorchFfm.tffm_generator_manual_seed(c.ctx(), g, seed));
            return null;
        });
    }

    /** Runs a native call with the handle of {@code generator} held, or NULL (the default generator). */
    static <T> T draw(Generator generator, Function<MemorySegment, T> call) {
        if (generator == null) {
            return call.apply(MemorySegment.NULL);
        }
        MemorySegment g = generator.acquire();
        try {
            return call.apply(g);
        } finally {
            generator.release();
        }
    }

    @Override
    public String toString() {
        return "Generator[" + device + (isClosed() ? ", closed]" : "]");
    }
}
