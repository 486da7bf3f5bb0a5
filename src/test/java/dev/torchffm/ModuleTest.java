package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The library runs as the named module dev.torchffm: internal packages closed, no CLI dependencies. */
class ModuleTest {
    private final java.lang.Module module = Tensor.class.getModule();

    @Test
    void testsRunOnTheModulePath() {
        assertTrue(module.isNamed(), "tests run on the class path: module-info is not enforced");
        assertEquals("dev.torchffm", module.getName());
    }

    @Test
    void internalPackagesAreNotExported() {
        for (String pkg : module.getPackages()) {
            if (pkg.startsWith("dev.torchffm.internal")) {
                assertFalse(module.isExported(pkg), pkg + " is exported");
                assertFalse(module.isOpen(pkg), pkg + " is open");
            }
        }
        assertTrue(module.getPackages().contains("dev.torchffm.internal.bindings"));
    }

    @Test
    void theLibraryNeedsOnlyTheJdkBase() {
        Set<String> required = new TreeSet<>();
        for (ModuleDescriptor.Requires r : module.getDescriptor().requires()) {
            required.add(r.name());
        }
        assertEquals(Set.of("java.base"), required, "modules the library requires");
        assertFalse(module.getPackages().contains("dev.torchffm.cli"), "the CLI is inside the library module");
    }
}
