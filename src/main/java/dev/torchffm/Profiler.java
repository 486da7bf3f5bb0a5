package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeObject;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * LibTorch's autograd profiler on the calling thread, as Python's {@code
 * torch.autograd.profiler.profile}: every op the thread runs until {@link #close()} (forward and, on
 * the CPU, backward) is recorded with its CPU time and written as a Chrome trace, which
 * chrome://tracing and ui.perfetto.dev open. Ops of other threads are not recorded.
 *
 * <pre>{@code
 * try (Profiler p = Profiler.start(Path.of("step.trace.json"))) {
 *     trainer.fit(net, data);
 * }
 * }</pre>
 *
 * <p>A platform thread's tool: a virtual thread may run its native calls on several carrier threads.
 *
 * <p>Profile a training loop with {@link CpuCache} enabled (the trainer's fast path does so): the
 * profiler's event blocks otherwise split the holes that freed activations leave in malloc's heap,
 * each step's buffers come from fresh pages, and a run's resident memory grows by gigabytes
 * (bench/faults.py).
 */
public final class Profiler extends NativeObject implements AutoCloseable {
    // LibTorch keeps one profiler state per thread; a second start would fail natively anyway.
    private static final ThreadLocal<Profiler> RUNNING = new ThreadLocal<>();
    private final Path file;

    private Profiler(MemorySegment handle, Path file) {
        super(handle, "profiler", Profiler::stop);
        this.file = file;
    }

    /**
     * Starts profiling the calling thread into {@code file} (created or truncated now, written by
     * {@link #close()}).
     *
     * @throws IllegalArgumentException when the file cannot be written
     * @throws IllegalStateException when this thread is profiled already
     * @throws UnsupportedOperationException on a virtual thread
     */
    public static Profiler start(Path file) {
        Objects.requireNonNull(file, "file");
        if (Thread.currentThread().isVirtual()) {
            throw new UnsupportedOperationException(
                    "the profiler records one platform thread; " + "start it on a platform thread, not a virtual one");
        }
        Profiler running = RUNNING.get();
        if (running != null) {
            throw new IllegalStateException("this thread is profiled already, into " + running.file);
        }
        CallContext c = CallContext.get();
        try (Arena arena = Arena.ofConfined()) {
            Profiler p = new Profiler(
                    c.check(TorchFfm.tffm_profile_start(c.ctx(), arena.allocateFrom(file.toString()))), file);
            RUNNING.set(p);
            return p;
        } catch (TorchException e) {
            throw e.kind() == TorchException.Kind.INVALID_ARGUMENT
                    ? new IllegalArgumentException(e.getMessage(), e)
                    : e;
        }
    }

    /** The trace file. */
    public Path file() {
        return file;
    }

    // The free: runs on the owner, as no other thread ever holds the handle.
    private static void stop(MemorySegment handle) {
        RUNNING.remove();
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_profile_stop(c.ctx(), handle));
    }

    /**
     * Stops profiling and writes the trace. Harmless when already closed.
     *
     * @throws WrongThreadException if called from another thread than the one that started it
     * @throws TorchException when the trace cannot be written
     */
    @Override
    public void close() {
        super.close();
    }

    @Override
    public String toString() {
        return "Profiler[" + file + (isClosed() ? ", closed]" : "]");
    }
}
