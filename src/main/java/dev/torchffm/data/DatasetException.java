package dev.torchffm.data;

import java.nio.file.Path;

/**
 * A dataset file is missing, unreadable or malformed. The message starts with the file's path and
 * says what is wrong, so it can be shown to the user as it is.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<path>: <problem>"}. */
    public static DatasetException at(Path path, String problem) {
        return new DatasetException(path + ": " + problem);
    }

    public static DatasetException at(Path path, String problem, Throwable cause) {
        return new DatasetException(path + ": " + problem, cause);
    }
}
