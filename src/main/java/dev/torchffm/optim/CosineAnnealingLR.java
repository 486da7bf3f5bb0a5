package dev.torchffm.optim;

/**
 * Cosine annealing from the base learning rate down to {@code etaMin} over {@code tMax} steps, as
 * torch.optim.lr_scheduler.CosineAnnealingLR: lr(t) = etaMin + (base - etaMin) (1 + cos(pi t / tMax)) / 2.
 * Past {@code tMax} it rises again along the same cosine, as PyTorch's does.
 */
public final class CosineAnnealingLR extends LrScheduler {
    private final long tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("T_max must be >= 1, got " + tMax);
        }
        if (!(etaMin >= 0)) {
            throw new IllegalArgumentException("eta_min must be >= 0, got " + etaMin);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    @Override
    public double lrAt(long step) {
        return etaMin + (baseLr() - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2;
    }
}
