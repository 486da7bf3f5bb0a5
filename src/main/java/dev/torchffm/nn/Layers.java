package dev.torchffm.nn;

/** Argument checks shared by the layers. */
final class Layers {
    private Layers() {}

    static void requirePositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
