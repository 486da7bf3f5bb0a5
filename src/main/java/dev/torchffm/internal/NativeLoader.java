package dev.torchffm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Finds and loads libtorchffm, the C shim, exactly once.
 *
 * <p>Search order: the system property {@code torchffm.library} or the environment variable
 * {@code TORCHFFM_LIBRARY} (a file path); then the class-path resource {@code
 * dev/torchffm/native/linux-x86_64/libtorchffm.so}, used in place when it is a file (a build folder) and copied
 * to a temporary file when it is inside a jar. Any failure becomes one {@link
 * UnsatisfiedLinkError} whose message names the file, the missing dependency and the fix.
 */
public final class NativeLoader {
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
        try (InputStream in = url.openStream()) {
            Path dir = Files.createTempDirectory("torchffm");
            Path file = dir.resolve("libtorchffm.so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("torchffm: cannot copy libtorchffm.so out of " + url + ": " + e);
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
            message.append(": its dependency ").append(missing).append(" was not found. ")
                    .append("Install LibTorch (Debian: apt-get install libtorch-dev), or rebuild the shim against the")
                    .append(" LibTorch you have (mvn -Dtorchffm.torch.prefix=<cmake prefix> package).");
        } else {
            message.append(": ").append(reason).append(". Rebuild it with `mvn package` or set -Dtorchffm.library.");
        }
        return message.toString();
    }
}
