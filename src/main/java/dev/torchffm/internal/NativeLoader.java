package dev.torchffm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Finds and loads libtorchffm, the C shim, exactly once.
 *
 * <p>Search order: the system property {@code torchffm.library} or the environment variable
 * {@code TORCHFFM_LIBRARY} (a file path); then the class-path resource {@code
 * dev/torchffm/native/linux-x86_64/libtorchffm.so}, used in place when it is a file (a build folder).
 * Inside a jar it is copied once into a cache folder named by its content's SHA-256, {@code
 * $XDG_CACHE_HOME/torchffm/<hash>} (default {@code ~/.cache}), which every later JVM reuses; where
 * that folder cannot be written, into a temporary folder that is deleted when the JVM exits. Any
 * failure becomes one {@link UnsatisfiedLinkError} whose message names the file, the missing
 * dependency and the fix. What it loads from where is logged through {@link System.Logger}
 * ({@code dev.torchffm}, level DEBUG).
 */
public final class NativeLoader {
    private static final System.Logger LOG = System.getLogger("dev.torchffm");
    static final String RESOURCE = "/dev/torchffm/native/linux-x86_64/libtorchffm.so";
    private static Path loaded;

    private NativeLoader() {}

    /** Loads the shim if it is not loaded yet; returns its path. */
    public static synchronized Path load() {
        if (loaded != null) {
            return loaded;
        }
        Path path = locate();
        try {
            System.load(path.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
            throw new UnsatisfiedLinkError(explain(path, e.getMessage()));
        }
        LOG.log(Level.DEBUG, "loaded the torchffm shim {0}", path);
        loaded = path;
        return path;
    }

    /** The path of the loaded shim, or null before {@link #load()} succeeded. */
    public static synchronized Path loadedPath() {
        return loaded;
    }

    private static Path locate() {
        String explicit = System.getProperty("torchffm.library", System.getenv("TORCHFFM_LIBRARY"));
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isRegularFile(path)) {
                throw new UnsatisfiedLinkError("torchffm: the library named by torchffm.library / TORCHFFM_LIBRARY"
                        + " does not exist: " + path);
            }
            return path;
        }
        URL url = NativeLoader.class.getResource(RESOURCE);
        if (url == null) {
            throw new UnsatisfiedLinkError("torchffm: libtorchffm.so is not on the class path (resource " + RESOURCE
                    + "). Build it with `mvn package` (it runs native/build.sh), or point -Dtorchffm.library"
                    + " at a built libtorchffm.so.");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new UnsatisfiedLinkError("torchffm: bad library URL " + url);
            }
        }
        return extract(url);
    }

    private static Path extract(URL url) {
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("torchffm: cannot read libtorchffm.so from " + url + ": " + e);
        }
        try {
            return cached(cacheRoot(), bytes);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot use the shim cache ({0}); extracting to a temporary folder", e.toString());
        }
        try {
            Path dir = Files.createTempDirectory("torchffm");
            Path file = dir.resolve("libtorchffm.so");
            // deleteOnExit runs in reverse order of registration: the file first, then its folder.
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("torchffm: cannot copy libtorchffm.so out of " + url + ": " + e);
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("torchffm");
    }

    /**
     * {@code root/<sha256>/libtorchffm.so} holding {@code bytes}, written unless it holds them already.
     * The folder is the user's own (mode 700), and a file is only ever moved into place complete, so a
     * JVM never loads a half-written library.
     */
    static Path cached(Path root, byte[] bytes) throws IOException {
        Path dir = root.resolve(sha256(bytes));
        Path file = dir.resolve("libtorchffm.so");
        if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return file;
        }
        Files.createDirectories(
                dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = Files.createTempFile(dir, "libtorchffm", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        LOG.log(Level.DEBUG, "extracted the torchffm shim to {0}", file);
        return file;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String explain(Path path, String reason) {
        String missing = null;
        if (reason != null) {
            int end = reason.indexOf(": cannot open shared object file");
            if (end > 0) {
                int start = reason.lastIndexOf(' ', end - 1) + 1;
                missing = reason.substring(start, end);
            }
        }
        StringBuilder message = new StringBuilder("torchffm: cannot load ").append(path);
        if (missing != null && !path.endsWith(missing)) {
            message.append(": its dependency ")
                    .append(missing)
                    .append(" was not found. ")
                    .append("Install LibTorch (Debian: apt-get install libtorch-dev), or rebuild the shim against the")
                    .append(" LibTorch you have (mvn -Dtorchffm.torch.prefix=<cmake prefix> package).");
        } else {
            message.append(": ").append(reason).append(". Rebuild it with `mvn package` or set -Dtorchffm.library.");
        }
        return message.toString();
    }
}
