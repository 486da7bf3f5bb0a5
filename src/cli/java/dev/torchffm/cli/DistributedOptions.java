package dev.torchffm.cli;

import dev.torchffm.Device;
import dev.torchffm.TorchException;
import dev.torchffm.distributed.Backend;
import dev.torchffm.distributed.ProcessGroup;
import dev.torchffm.distributed.Rendezvous;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The data-parallel flags of {@code train}, and the worker's side of them. Without them (or with one
 * process in all) training runs in this process. With more, this process is the launcher: it starts
 * {@code --nproc} workers ({@link WorkerLauncher}), which find their rank in the environment
 * variables the launcher sets and join one c10d group; rank 0 alone prints and writes files.
 */
final class DistributedOptions {
    static final String RANK = "TORCHFFM_RANK";
    static final String LOCAL_RANK = "TORCHFFM_LOCAL_RANK";
    static final String WORLD_SIZE = "TORCHFFM_WORLD_SIZE";
    static final String LOCAL_WORLD_SIZE = "TORCHFFM_LOCAL_WORLD_SIZE";
    static final String MASTER = "TORCHFFM_MASTER";
    static final String TIMEOUT = "TORCHFFM_DIST_TIMEOUT_S";

    @Option(
            names = "--nproc",
            defaultValue = "1",
            description =
                    "worker processes on this machine, as torchrun's --nproc_per_node (default: ${DEFAULT-VALUE})")
    int nproc;

    @Option(names = "--nnodes", defaultValue = "1", description = "machines taking part (default: ${DEFAULT-VALUE})")
    int nnodes;

    @Option(
            names = "--node-rank",
            defaultValue = "0",
            description = "this machine's index, 0..nnodes-1 (default: ${DEFAULT-VALUE})")
    int nodeRank;

    @Option(
            names = "--master",
            defaultValue = "127.0.0.1:29500",
            description = "HOST:PORT where rank 0 (on node 0) hosts the rendezvous (default: ${DEFAULT-VALUE})")
    String master;

    @Option(
            names = "--dist-timeout",
            defaultValue = "60",
            description =
                    "seconds to wait for the other ranks, at start and in each collective (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    private final Map<String, String> env;

    DistributedOptions() {
        this(System.getenv());
    }

    DistributedOptions(Map<String, String> env) {
        this.env = env;
    }

    /** Whether this process is a worker started by a launcher. */
    boolean isWorker() {
        return env.containsKey(RANK);
    }

    /** Whether this process should start workers instead of training. */
    boolean launches() {
        if (isWorker()) {
            return false;
        }
        if (nproc < 1 || nnodes < 1 || nodeRank < 0 || nodeRank >= nnodes || timeoutSeconds < 1) {
            throw new UserInputException(
                    "need --nproc >= 1, --nnodes >= 1, 0 <= --node-rank < --nnodes and" + " --dist-timeout >= 1 (got "
                            + nproc + ", " + nnodes + ", " + nodeRank + ", " + timeoutSeconds + ")");
        }
        return nproc * nnodes > 1;
    }

    /** Rank 0, or a single process: the one that prints and writes files. */
    boolean isLead() {
        return !isWorker() || rank() == 0;
    }

    int rank() {
        return Integer.parseInt(env.get(RANK));
    }

    /** ATen threads when --threads is not given: the cores shared by this machine's workers. */
    int defaultThreads() {
        int local = isWorker() ? Integer.parseInt(env.getOrDefault(LOCAL_WORLD_SIZE, "1")) : 1;
        return Math.max(1, Runtime.getRuntime().availableProcessors() / local);
    }

    /** The device a worker uses: on CUDA, one GPU per local rank, as torchrun's LOCAL_RANK. */
    Device deviceFor(Device requested) {
        if (!isWorker() || !requested.isCuda()) {
            return requested;
        }
        int local = Integer.parseInt(env.getOrDefault(LOCAL_RANK, "0"));
        return UserInputException.validate(() -> Device.cuda(local));
    }

    /**
     * A worker joins its group (null when this process trains alone); every rank but 0 then stops
     * printing to standard output, so that the run prints one set of epoch lines. A failure to
     * join (port in use, master unreachable, world size mismatch) is a user error.
     */
    ProcessGroup join(Device device) {
        if (!isWorker()) {
            return null;
        }
        Rendezvous r = UserInputException.validate(() -> Rendezvous.parse(
                env.get(MASTER),
                rank(),
                Integer.parseInt(env.get(WORLD_SIZE)),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault(TIMEOUT, "60")))));
        ProcessGroup group;
        try {
            group = ProcessGroup.join(r, Backend.forDevice(device));
        } catch (TorchException e) {
            throw new UserInputException(e.getMessage().lines().findFirst().orElse("could not join the group"));
        } catch (UnsupportedOperationException e) {
            throw new UserInputException(e.getMessage());
        }
        if (!isLead()) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        }
        return group;
    }
}
