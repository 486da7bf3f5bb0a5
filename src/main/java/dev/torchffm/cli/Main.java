package dev.torchffm.cli;

import dev.torchffm.data.DatasetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code torchffm} command line: train, predict, summary, doctor. */
@Command(name = "torchffm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "LeNet on Fashion-MNIST with LibTorch through Java's FFM API.",
        subcommands = {TrainCommand.class, PredictCommand.class, SummaryCommand.class, DoctorCommand.class})
public final class Main {
    /** Exit code for user errors: bad flags, bad data, unusable device. */
    static final int USER_ERROR = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; user errors print one line, no stack trace. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof DatasetException || e instanceof IllegalArgumentException
                    || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("torchffm: " + e.getMessage());
                return USER_ERROR;
            }
            throw e;
        });
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
}
