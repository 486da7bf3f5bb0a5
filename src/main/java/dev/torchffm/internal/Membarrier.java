package dev.torchffm.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Linux's {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)}: a full memory barrier run on every
 * thread of the process at once. It lets {@link NativeObject}'s owner close an object with plain
 * stores and loads (no atomic instruction) while the rare other thread that starts using the object
 * pays for the barrier instead: the asymmetric form of Dekker's protocol. Unavailable (another OS or
 * architecture, an old kernel, a filtered system call), every close takes the atomic path.
 */
final class Membarrier {
    private static final int CMD_PRIVATE_EXPEDITED = 1 << 3;
    private static final int CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
    private static final MethodHandle SYSCALL;
    private static final long NUMBER;
    static final boolean AVAILABLE;

    static {
        NUMBER = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 324;
            case "aarch64" -> 283;
            default -> -1;
        };
        MethodHandle h = null;
        boolean ok = false;
        if (NUMBER > 0 && System.getProperty("os.name").startsWith("Linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                MemorySegment syscall = linker.defaultLookup().find("syscall").orElseThrow();
                h = linker.downcallHandle(
                        syscall,
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(1));
                ok = (long) h.invokeExact(NUMBER, CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
            } catch (Throwable e) {
                ok = false;
            }
        }
        SYSCALL = h;
        AVAILABLE = ok && !Boolean.getBoolean("torchffm.noMembarrier");
    }

    private Membarrier() {}

    /** Runs the process-wide barrier; only called when {@link #AVAILABLE}. */
    static void run() {
        long result;
        try {
            result = (long) SYSCALL.invokeExact(NUMBER, CMD_PRIVATE_EXPEDITED, 0, 0);
        } catch (Throwable e) {
            throw new IllegalStateException("membarrier failed", e);
        }
        if (result != 0) {
            throw new IllegalStateException("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) returned " + result);
        }
    }
}
