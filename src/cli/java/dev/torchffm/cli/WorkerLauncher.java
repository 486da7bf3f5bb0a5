package dev.torchffm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Starts this machine's workers of a data-parallel run, as torchrun does: {@code nproc} copies of the
 * same {@code train} command, each told its rank through environment variables, sharing this
 * terminal. It returns when all have exited. When one fails to join the group (exit code 2: port in
 * use, world size mismatch, master unreachable), the others are stopped at once, so that the run
 * ends with that one message. When one dies later, the others stop on their own (their next
 * collective fails and names the rank that exited); any still running after the group's timeout is
 * killed, so nothing hangs.
 */
final class WorkerLauncher {
    private static final String MAIN = Main.class.getName();
    private final DistributedOptions options;
    private final List<String> trainArgs;

    /** {@code trainArgs}: the arguments after {@code train}, passed to every worker unchanged. */
    WorkerLauncher(DistributedOptions options, List<String> trainArgs) {
        this.options = options;
        this.trainArgs = List.copyOf(trainArgs);
    }

    /** The arguments that followed {@code command} on this process's command line. */
    static List<String> argsAfter(String command, CommandSpec spec) {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(command);
        return at < 0 ? all : all.subList(at + 1, all.size());
    }

    int run() {
        int world = options.nproc * options.nnodes;
        List<Process> workers = new ArrayList<>();
        Thread stopAll = new Thread(() -> workers.forEach(Process::destroy));
        Runtime.getRuntime().addShutdownHook(stopAll); // a launcher stopped by Ctrl-C or kill takes its workers along
        try {
            for (int local = 0; local < options.nproc; local++) {
                int rank = options.nodeRank * options.nproc + local;
                ProcessBuilder pb = new ProcessBuilder(command()).inheritIO();
                Map<String, String> env = pb.environment();
                env.put(DistributedOptions.RANK, Integer.toString(rank));
                env.put(DistributedOptions.LOCAL_RANK, Integer.toString(local));
                env.put(DistributedOptions.WORLD_SIZE, Integer.toString(world));
                env.put(DistributedOptions.LOCAL_WORLD_SIZE, Integer.toString(options.nproc));
                env.put(DistributedOptions.MASTER, options.master);
                env.put(DistributedOptions.TIMEOUT, Integer.toString(options.timeoutSeconds));
                workers.add(pb.start());
            }
            return await(workers);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a worker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.forEach(Process::destroy);
            return 1;
        } finally {
            workers.forEach(p -> p.destroyForcibly());
            try {
                Runtime.getRuntime().removeShutdownHook(stopAll);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    // Waits for every worker; after the first failure the others get the group's timeout (plus a
    // grace period for their own exit) to notice and stop, then they are killed.
    private int await(List<Process> workers) throws InterruptedException {
        int[] codes = new int[workers.size()];
        boolean[] done = new boolean[workers.size()];
        int firstFailure = -1;
        long killAt = Long.MAX_VALUE;
        int running = workers.size();
        while (running > 0) {
            for (int i = 0; i < workers.size(); i++) {
                Process p = workers.get(i);
                if (!done[i] && !p.isAlive()) {
                    done[i] = true;
                    running--;
                    codes[i] = p.exitValue();
                    if (codes[i] != 0 && firstFailure < 0) {
                        firstFailure = i;
                        killAt = System.nanoTime() + (options.timeoutSeconds + 10) * 1_000_000_000L;
                        reportIfAlone(i, p, codes[i]);
                        if (codes[i] == Main.USER_ERROR) {
                            workers.forEach(Process::destroy); // the group cannot form: one message is enough
                        }
                    }
                }
            }
            if (running > 0 && System.nanoTime() > killAt) {
                for (int i = 0; i < workers.size(); i++) {
                    if (!done[i]) {
                        System.err.printf(
                                "torchffm: rank %d did not stop within %d s after rank %d failed; killing it%n",
                                rank(i), options.timeoutSeconds + 10, rank(firstFailure));
                        workers.get(i).destroyForcibly();
                    }
                }
                killAt = Long.MAX_VALUE;
            }
            Thread.sleep(50);
        }
        if (firstFailure < 0) {
            return 0;
        }
        int code = codes[firstFailure];
        return code == Main.USER_ERROR ? Main.USER_ERROR : 1;
    }

    // A worker killed by a signal prints nothing; its local peers name it in their own message. A
    // worker with no local peer (one per machine) is named here.
    private void reportIfAlone(int i, Process p, int code) {
        if (code > 128 && options.nproc == 1) {
            System.err.printf("torchffm: rank %d (pid %d) was killed by signal %d%n", rank(i), p.pid(), code - 128);
        }
    }

    private int rank(int local) {
        return options.nodeRank * options.nproc + local;
    }

    // The same JVM with the same options, main class and train arguments.
    private List<String> command() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String java = info.command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        Optional<String[]> args = info.arguments();
        int main = -1;
        if (args.isPresent()) {
            main = List.of(args.get()).indexOf(MAIN);
        }
        if (main >= 0) {
            cmd.addAll(List.of(args.get()).subList(0, main));
        } else {
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
        }
        cmd.add(MAIN);
        cmd.add("train");
        cmd.addAll(trainArgs);
        return cmd;
    }
}
