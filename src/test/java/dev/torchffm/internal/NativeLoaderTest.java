package dev.torchffm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.ChildJvm;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shim that cannot load yields one message naming the file, the missing dependency and the fix. */
class NativeLoaderTest {
    @Test
    void aMissingDependencyIsNamedWithTheFix() {
        String message = NativeLoader.explain(
                Path.of("/opt/x/libtorchffm.so"),
                "/opt/x/libtorchffm.so: libtorch_cpu.so.1.13: cannot open shared object file: No such file or directory");
        assertTrue(message.contains("/opt/x/libtorchffm.so"), message);
        assertTrue(message.contains("its dependency libtorch_cpu.so.1.13 was not found"), message);
        assertTrue(message.contains("apt-get install libtorch-dev"), message);
        assertTrue(message.contains("-Dtorchffm.torch.prefix"), message);
    }

    @Test
    void otherFailuresSayHowToRebuildOrOverride() {
        String message = NativeLoader.explain(Path.of("/opt/x/libtorchffm.so"), "invalid ELF header");
        assertTrue(message.contains("invalid ELF header"), message);
        assertTrue(message.contains("-Dtorchffm.library"), message);
    }

    @Test
    void theCacheIsContentAddressedAndReused(@TempDir Path root) throws Exception {
        byte[] a = {1, 2, 3};
        Path first = NativeLoader.cached(root, a);
        assertEquals(first, NativeLoader.cached(root, a));
        assertArrayEquals(a, Files.readAllBytes(first));
        assertNotEquals(
                first.getParent(), NativeLoader.cached(root, new byte[] {4}).getParent());
        Files.write(first, new byte[] {9, 9, 9}); // a damaged copy is replaced
        assertArrayEquals(a, Files.readAllBytes(NativeLoader.cached(root, a)));
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(2, files.filter(Files::isRegularFile).count(), "one file per content, no leftovers");
        }
    }

    @Test
    void theResourceIsPackageQualified() {
        assertTrue(NativeLoader.RESOURCE.startsWith("/dev/torchffm/native/"), NativeLoader.RESOURCE);
    }

    @Test
    void jvmsLoadingTheShimFromAJarLeaveNoTemporaryFolder(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("shim.jar");
        try (InputStream in = NativeLoader.class.getResourceAsStream(NativeLoader.RESOURCE);
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(NativeLoader.RESOURCE.substring(1)));
            in.transferTo(out);
        }
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path cache = Files.createDirectory(dir.resolve("cache"));
        for (int run = 0; run < 2; run++) {
            List<String> cmd = List.of(
                    ChildJvm.java(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-Djava.io.tmpdir=" + tmp,
                    "-cp",
                    jar + File.pathSeparator + ChildJvm.classPath(LoadOnce.class),
                    LoadOnce.class.getName());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("XDG_CACHE_HOME", cache.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains(cache.resolve("torchffm").toString()), "loaded from the cache: " + out);
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "left in java.io.tmpdir");
        }
        try (Stream<Path> hashes = Files.list(cache.resolve("torchffm"))) {
            assertEquals(1, hashes.count(), "one cached shim for two runs");
        }
    }

    /** Loads the shim and prints where from. */
    public static final class LoadOnce {
        public static void main(String[] args) {
            System.out.println(NativeLoader.load());
        }
    }
}
