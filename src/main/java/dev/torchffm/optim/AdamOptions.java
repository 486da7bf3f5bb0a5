package dev.torchffm.optim;

/** Hyper-parameters of {@link Adam} and {@link AdamW}, as torch.optim.Adam's ({@code betas} split in two). */
public record AdamOptions(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
    public AdamOptions {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        if (!(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("eps and weight decay must be >= 0: " + this);
        }
    }

    /** PyTorch's Adam defaults with learning rate {@code lr}: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static AdamOptions lr(double lr) {
        return new AdamOptions(lr, 0.9, 0.999, 1e-8, 0, false);
    }

    public AdamOptions withBetas(double beta1, double beta2) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    public AdamOptions withEps(double eps) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    public AdamOptions withWeightDecay(double weightDecay) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    public AdamOptions withAmsgrad(boolean amsgrad) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad);
    }
}
