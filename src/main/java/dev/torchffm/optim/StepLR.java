package dev.torchffm.optim;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} steps, as torch.optim.lr_scheduler.StepLR. */
public final class StepLR extends LrScheduler {
    private final long stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, long stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("step size must be >= 1, got " + stepSize);
        }
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException("gamma must be >= 0, got " + gamma);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public double lrAt(long step) {
        return baseLr() * Math.pow(gamma, step / stepSize);
    }
}
