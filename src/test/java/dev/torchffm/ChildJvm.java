package dev.torchffm;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for child JVMs in tests. The tests run on the module path, with the test classes
 * patched into the module, so {@code java.class.path} alone lacks the library and the tests: the
 * child gets all three on its class path.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** {@code java --enable-native-access=ALL-UNNAMED OPTIONS -cp EVERYTHING MAIN}. */
    public static List<String> command(Class<?> main, String... options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of(options));
        cmd.add("-cp");
        cmd.add(classPath(main));
        cmd.add(main.getName());
        return cmd;
    }

    /** This JVM's java launcher. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where {@code main} was loaded from, then the module path, then the class path. */
    public static String classPath(Class<?> main) {
        List<String> parts = new ArrayList<>();
        try {
            parts.add(Path.of(main.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            if (!value.isEmpty()) {
                parts.add(value);
            }
        }
        return String.join(File.pathSeparator, parts);
    }
}
