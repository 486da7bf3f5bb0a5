package dev.torchffm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opt-in record of open tensors and where each was created (system property {@code
 * torchffm.trackLeaks=true}). Off by default: then it costs one static boolean test per tensor. When
 * on, tensors still open when the JVM exits are reported on standard error with their creation stacks.
 */
public final class LeakTracker {
    static final boolean ENABLED = Boolean.getBoolean("torchffm.trackLeaks");
    private static final Map<Tensor, Throwable> OPEN = new ConcurrentHashMap<>();

    static {
        if (ENABLED) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                if (!OPEN.isEmpty()) {
                                    System.err.print("torchffm: tensors never closed: " + report());
                                }
                            },
                            "torchffm-leak-report"));
        }
    }

    private LeakTracker() {}

    static void created(Tensor t) {
        if (ENABLED) {
            OPEN.put(t, new Throwable("tensor created here"));
        }
    }

    static void closed(Tensor t) {
        if (ENABLED) {
            OPEN.remove(t);
        }
    }

    /** Whether tracking is on. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** The creation stacks of every tensor still open (empty when tracking is off). */
    public static List<Throwable> openTensors() {
        return new ArrayList<>(OPEN.values());
    }

    /** A report of every open tensor with its creation stack. */
    public static String report() {
        StringBuilder sb = new StringBuilder();
        List<Throwable> open = openTensors();
        sb.append(open.size()).append(" open tensor(s)\n");
        for (Throwable t : open) {
            sb.append("- created at\n");
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append("    ").append(e).append('\n');
            }
        }
        return sb.toString();
    }
}
