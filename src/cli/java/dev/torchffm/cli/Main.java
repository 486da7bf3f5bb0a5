package dev.torchffm.cli;

import dev.torchffm.MalformedFileException;
import dev.torchffm.TorchException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The {@code torchffm} command line: train, predict, summary, doctor, version. */
@Command(
        name = "torchffm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        scope = ScopeType.INHERIT, // every subcommand gets --help and --version
        description = "LeNet on Fashion-MNIST with LibTorch through Java's FFM API.",
        subcommands = {
            TrainCommand.class,
            PredictCommand.class,
            SummaryCommand.class,
            DoctorCommand.class,
            VersionCommand.class
        })
public final class Main {
    /** Exit code for user errors: bad flags, bad data or output paths, unusable device, out of memory. */
    static final int USER_ERROR = 2;
    /** Exit code for a failure inside torchffm or LibTorch (printed with its stack trace). */
    static final int INTERNAL_ERROR = 1;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; user errors print one line, no stack trace. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr()));
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("torchffm: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return USER_ERROR;
        });
        try {
            return cli.execute(args);
        } catch (UnsatisfiedLinkError e) {
            // The shim or LibTorch could not be loaded: NativeLoader's message says which file and the fix.
            System.err.println(e.getMessage());
            return USER_ERROR;
        }
    }

    // What the user can fix gets one line; anything else is a bug or an environment failure whose
    // stack trace is needed to find it.
    static int report(Exception e, PrintWriter err) {
        if (e instanceof UserInputException
                || e instanceof MalformedFileException
                || e instanceof UncheckedIOException) {
            err.println("torchffm: " + e.getMessage());
            return USER_ERROR;
        }
        if (e instanceof TorchException t && t.kind() == TorchException.Kind.OUT_OF_MEMORY) {
            err.println("torchffm: out of memory (try a smaller --batch-size): " + firstLine(t.getMessage()));
            return USER_ERROR;
        }
        if (e instanceof TorchException t && t.kind() == TorchException.Kind.DISTRIBUTED) {
            // A peer of a data-parallel run died or stopped answering: not a bug here, and the message names it.
            err.println("torchffm: " + firstLine(t.getMessage()));
            return INTERNAL_ERROR;
        }
        err.println("torchffm: internal error, please report it with the trace below");
        e.printStackTrace(err);
        return INTERNAL_ERROR;
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
