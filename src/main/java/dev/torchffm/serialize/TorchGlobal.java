package dev.torchffm.serialize;

/**
 * The only functions a checkpoint may name: those that rebuild a dict of tensors. The unpickler
 * resolves a {@code GLOBAL} to one of these or to a {@link StorageType}, and refuses any other.
 */
enum TorchGlobal {
    ORDERED_DICT("collections", "OrderedDict"),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
    REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state"),
    RESTORE_TYPE_TAG("torch.jit._pickle", "restore_type_tag");

    final String module;
    final String name;

    TorchGlobal(String module, String name) {
        this.module = module;
        this.name = name;
    }

    String qualifiedName() {
        return module + "." + name;
    }

    /** The global {@code module.name} as a {@link TorchGlobal} or {@link StorageType}, or null if not allowed. */
    static Object resolve(String module, String name) {
        for (TorchGlobal g : values()) {
            if (g.module.equals(module) && g.name.equals(name)) {
                return g;
            }
        }
        return module.equals("torch") ? StorageType.named(name) : null;
    }
}
