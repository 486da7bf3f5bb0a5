package dev.torchffm;

/** A failure reported by LibTorch, carrying LibTorch's own message. */
public class TorchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure LibTorch reported. */
    public enum Kind {
        /** A bad shape, dtype, device, index or argument. */
        INVALID_ARGUMENT,
        /** Host or device memory ran out; the process can go on after freeing memory. */
        OUT_OF_MEMORY,
        /** Any other failure inside LibTorch. */
        INTERNAL;

        /** Maps a {@code TFFM_ERR_*} code. */
        public static Kind of(int code) {
            return switch (code) {
                case 1 -> INVALID_ARGUMENT;
                case 2 -> OUT_OF_MEMORY;
                default -> INTERNAL;
            };
        }
    }

    private final Kind kind;

    public TorchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
