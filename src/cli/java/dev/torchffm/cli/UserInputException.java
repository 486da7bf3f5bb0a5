package dev.torchffm.cli;

import dev.torchffm.TorchException;
import java.util.function.Supplier;

/**
 * A bad flag value, file or folder given on the command line. {@link Main} prints its message as one
 * line and exits with {@link Main#USER_ERROR}; every other exception keeps its stack trace.
 */
final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserInputException(String message) {
        super(message);
    }

    /**
     * Runs library code that validates a value the user gave (a device name, hyper-parameters, a
     * thread count): its {@link IllegalArgumentException}, or LibTorch's invalid-argument error, is
     * about that value, so it becomes a user error here. The library's own rules stay the only ones;
     * the CLI does not repeat them.
     */
    static <T> T validate(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        } catch (TorchException e) {
            if (e.kind() != TorchException.Kind.INVALID_ARGUMENT) {
                throw e;
            }
            throw new UserInputException(e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
