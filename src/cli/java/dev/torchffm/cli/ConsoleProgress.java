package dev.torchffm.cli;

import dev.torchffm.train.EpochStats;
import dev.torchffm.train.Progress;
import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints the chapter's line per epoch; on a terminal also a progress bar within the epoch. In a log
 * (not a terminal) it prints plain lines only.
 */
final class ConsoleProgress implements Progress {
    private final PrintStream out;
    private final boolean terminal;
    private ProgressBar bar;

    ConsoleProgress(PrintStream out) {
        this.out = out;
        java.io.Console console = System.console();
        this.terminal = console != null && console.isTerminal();
    }

    @Override
    public void epochStarted(int epoch, long batches) {
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName("epoch " + epoch)
                    .setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .continuousUpdate()
                    .clearDisplayOnFinish()
                    .build();
        }
    }

    @Override
    public void stepDone(int epoch, long step) {
        if (bar != null) {
            bar.stepTo(step);
        }
    }

    @Override
    public void epochDone(EpochStats stats) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.println(stats.line());
        out.flush();
    }
}
