package dev.torchffm.optim;

import java.util.Objects;

/**
 * A learning-rate schedule: each {@link #step()} advances it by one (an epoch or a batch, as the
 * caller counts) and sets the optimizer's learning rate to the schedule's value there, as PyTorch's
 * {@code lr_scheduler} classes do when {@code scheduler.step()} follows {@code optimizer.step()}.
 * The base learning rate is the optimizer's when the schedule is made.
 */
public abstract class LrScheduler {
    private final Optimizer optimizer;
    private final double baseLr;
    private long steps;

    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = optimizer.lr();
    }

    /** Advances the schedule and sets the optimizer's learning rate. */
    public final void step() {
        steps++;
        optimizer.lr(lrAt(steps));
    }

    /** The learning rate after {@code step} calls of {@link #step()} (0: the base rate). */
    public abstract double lrAt(long step);

    public final double baseLr() {
        return baseLr;
    }

    /** How many times {@link #step()} was called. */
    public final long steps() {
        return steps;
    }
}
