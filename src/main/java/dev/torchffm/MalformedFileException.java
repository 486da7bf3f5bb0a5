package dev.torchffm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file's content is not what its reader accepts: a checkpoint or a data file that is damaged,
 * truncated, of another format, or declares more than it holds. The message starts with the file's
 * path and says what is wrong, so it can be shown to a user as it is. (A file that cannot be read at
 * all, missing or unreadable, gives {@link java.io.UncheckedIOException} instead.)
 *
 * <p>It is an {@link IllegalArgumentException}: the file handed to the reader is the bad argument.
 */
public class MalformedFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** {@code "<file>: <problem>"}. */
    public MalformedFileException(Path file, String problem) {
        this(file, problem, null);
    }

    /** {@code "<file>: <problem>"}, caused by {@code cause}. */
    public MalformedFileException(Path file, String problem, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
        this.file = file;
    }

    /** The file that is malformed. */
    public Path file() {
        return file;
    }
}
