package dev.torchffm.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Checks an output path given on the command line before any work starts, so that a typo does not
 * cost a training run, and words write failures without repeating the path.
 */
final class OutputFile {
    /** ImageIO format names the CLI writes (.jpg and .jpeg both map to jpeg). */
    static final Set<String> IMAGE_TYPES = Set.of("png", "jpeg");

    private OutputFile() {}

    /** Fails unless {@code file} can be created or replaced: its folder exists and is writable. */
    static void requireWritable(Path file, String flag) {
        if (file == null) {
            return;
        }
        Path folder = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new UserInputException(flag + " " + file + ": is a folder, not a file");
        }
        if (!Files.isDirectory(folder)) {
            throw new UserInputException(flag + " " + file + ": the folder does not exist");
        }
        if (!Files.isWritable(folder) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new UserInputException(flag + " " + file + ": permission denied");
        }
    }

    /** As {@link #requireWritable}, and the extension must name an image type the CLI writes. */
    static void requireImage(Path file, String flag) {
        if (file == null) {
            return;
        }
        if (!IMAGE_TYPES.contains(imageType(file))) {
            throw new UserInputException(flag + " " + file + ": unsupported image type, use .png or .jpg");
        }
        requireWritable(file, flag);
    }

    /** The ImageIO format name for {@code file}'s extension: png or jpeg (lower case). */
    static String imageType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return ext.equals("jpg") ? "jpeg" : ext;
    }

    /** Why a write failed, without the path that the caller names anyway. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "the folder does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
