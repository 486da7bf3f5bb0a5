package dev.torchffm.train;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where the trainer's default path departs from the chapter's op order to train faster on the same
 * LibTorch. Each computes the same model; {@link TrainConfig#reference()} turns them all off, so that a
 * seeded run reproduces PyTorch's chapter code epoch for epoch. bench/README.md measures each alone.
 */
public enum Speedup {
    /**
     * On the CPU, the convolution weights and every input batch in channels-last memory format (PyTorch's
     * {@code model.to(memory_format=torch.channels_last)}): oneDNN's convolutions and ATen's pooling run
     * without reordering their data. Sums are added in another order, so losses differ from the
     * reference in the last digits. The weights are laid out as before when training ends.
     */
    CHANNELS_LAST,
    /**
     * Gradients dropped before each step instead of zeroed ({@code zero_grad(set_to_none=True)}):
     * backward then writes each gradient once instead of adding it into zeros. On the CPU only (a CUDA
     * graph keeps its gradient buffers). Bit for bit the same results.
     */
    GRAD_NONE,
    /**
     * The test split evaluated in batches of {@link TrainConfig#EVAL_BATCH_SIZE} instead of the
     * training batch size: fewer, larger kernel calls, the same accuracy. Not on by default: the larger
     * activations raised the peak resident memory of a chapter run by 80-90 MB.
     */
    EVAL_BATCH,
    /**
     * On the CPU, {@link dev.torchffm.CpuCache} for the length of {@link Trainer#fit}: each step's
     * activation buffers reuse the last step's instead of coming from malloc's heap, where other
     * allocations in between (the profiler's, measured) can leave each step faulting its largest
     * activations in again. Bit for bit the same results.
     */
    CPU_CACHE;

    /** Every speedup. */
    public static Set<Speedup> all() {
        return EnumSet.allOf(Speedup.class);
    }

    /** The trainer's default: {@link #CHANNELS_LAST}, {@link #GRAD_NONE} and {@link #CPU_CACHE}. */
    public static Set<Speedup> defaults() {
        return EnumSet.of(CHANNELS_LAST, GRAD_NONE, CPU_CACHE);
    }

    /** The command-line name: {@code channels-last}, {@code grad-none}, {@code eval-batch}, {@code cpu-cache}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The speedup with this {@link #cliName()}. */
    public static Speedup parse(String name) {
        for (Speedup s : values()) {
            if (s.cliName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown speedup '" + name + "': use "
                + String.join(
                        ", ",
                        EnumSet.allOf(Speedup.class).stream()
                                .map(Speedup::cliName)
                                .toList()));
    }
}
