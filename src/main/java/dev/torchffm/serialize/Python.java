package dev.torchffm.serialize;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python values the unpickler builds besides Java's own ({@code String}, {@code Long},
 * {@code Double}, {@code Boolean}, {@code byte[]}, {@code ArrayList} for a list,
 * {@code LinkedHashMap} for a dict), and how error messages name any of them.
 */
final class Python {
    private Python() {}

    /** Python's None (the stack and containers hold no Java nulls). */
    enum None {
        NONE
    }

    /** A Python tuple. */
    record Tuple(List<Object> items) {
        static final Tuple EMPTY = new Tuple(List.of());
    }

    /** A {@code collections.OrderedDict}; BUILD on it (its {@code _metadata}) is ignored. */
    static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    /** "a str", "a tensor", "the function collections.OrderedDict": how a message names {@code o}. */
    static String describe(Object o) {
        return switch (o) {
            case null -> "nothing";
            case None n -> "None";
            case String s -> "a str";
            case Long l -> "an int";
            case Double d -> "a float";
            case Boolean b -> "a bool";
            case byte[] b -> "a bytes";
            case Tuple t -> "a tuple";
            case List<?> l -> "a list";
            case Map<?, ?> m -> "a dict";
            case TorchGlobal g -> "the function " + g.qualifiedName();
            case StorageType s -> "the type torch." + s.className;
            case StorageRef s -> "a storage";
            case TensorRef t -> "a tensor";
            default -> "a " + o.getClass().getSimpleName();
        };
    }

    static String describeAll(List<Object> values) {
        return values.stream().map(Python::describe).toList().toString();
    }
}
