package dev.torchffm;

import dev.torchffm.internal.bindings.TorchFfm;

/** A failure reported by LibTorch, carrying LibTorch's own message. */
public class TorchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure LibTorch reported. */
    public enum Kind {
        /** A bad shape, dtype, device, index or argument. */
        INVALID_ARGUMENT(TorchFfm.TFFM_ERR_INVALID_ARGUMENT()),
        /** Host or device memory ran out; the process can go on after freeing memory. */
        OUT_OF_MEMORY(TorchFfm.TFFM_ERR_OUT_OF_MEMORY()),
        /** Any other failure inside LibTorch. */
        INTERNAL(TorchFfm.TFFM_ERR_INTERNAL()),
        /** A process group failed: a peer died or did not answer in time, a port was taken, ranks disagreed. */
        DISTRIBUTED(TorchFfm.TFFM_ERR_DISTRIBUTED());

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /**
         * Maps a {@code TFFM_ERR_*} code ({@code TFFM_ERR_UNKNOWN}, a throw of a non-standard type,
         * is {@link #INTERNAL}).
         *
         * @throws IllegalArgumentException for {@code TFFM_OK} or a code the C API does not define
         */
        public static Kind of(int code) {
            if (code == TorchFfm.TFFM_ERR_UNKNOWN()) {
                return INTERNAL;
            }
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("not a TFFM_ERR_* error code: " + code);
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
