package dev.torchffm.serialize;

import static dev.torchffm.serialize.Python.describe;
import static dev.torchffm.serialize.Python.describeAll;

import dev.torchffm.DType;
import dev.torchffm.MalformedFileException;
import dev.torchffm.serialize.Python.None;
import dev.torchffm.serialize.Python.OrderedDict;
import dev.torchffm.serialize.Python.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted pickle machine (protocols 2 to 5) that builds only dicts, lists, tuples, scalars and
 * {@link TensorRef}s, and runs no code from the file: a {@code GLOBAL} resolves only to a
 * {@link TorchGlobal} or a {@link StorageType}.
 *
 * <p>The values it builds are charged against a heap budget of {@value #HEAP_PER_BYTE} bytes per
 * pickle byte (plus {@value #HEAP_FLOOR} bytes), so a small pickle that makes millions of empty
 * dicts is refused instead of filling the heap.
 */
final class Unpickler {
    static final int HEAP_PER_BYTE = 16;
    static final int HEAP_FLOOR = 1 << 20;

    private final Path file;
    private final PickleInput in;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    // Python numbers its memo 0, 1, 2, ...: those live in a list; any other index in a map.
    private final ArrayList<Object> memo = new ArrayList<>();
    private final Map<Long, Object> sparseMemo = new HashMap<>();
    private long heapLeft;

    Unpickler(Path file, byte[] pickle) {
        this.file = file;
        this.in = new PickleInput(file, pickle);
        this.heapLeft = (long) HEAP_PER_BYTE * pickle.length + HEAP_FLOOR;
    }

    /** Runs the pickle to its STOP and returns the one value it leaves. */
    Object load() {
        while (true) {
            int at = in.position();
            int code = in.u8();
            PickleOp op = PickleOp.of(code);
            if (op == null) {
                throw in.unsupported(String.format("pickle opcode 0x%02x", code), at);
            }
            switch (op) {
                case PROTO -> {
                    int proto = in.u8();
                    if (proto < 2 || proto > 5) {
                        throw in.malformed("pickle protocol " + proto + " is not supported", at);
                    }
                }
                case FRAME -> in.skip(8); // frames need no handling when the whole pickle is in memory
                case STOP -> {
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw in.malformed("STOP with " + stack.size() + " values on the stack", at);
                    }
                    return stack.get(0);
                }
                case MARK -> marks.add(stack.size());
                case POP -> pop();
                case POP_MARK -> popMark();
                case DUP -> push(peek());
                case GLOBAL -> push(resolve(in.line(at), in.line(at), at));
                case STACK_GLOBAL -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw in.malformed("STACK_GLOBAL needs two str", at);
                    }
                    push(resolve(m, n, at));
                }
                case BINPUT -> memoPut(in.u8());
                case LONG_BINPUT -> memoPut(in.u32());
                case MEMOIZE -> memoPut(memo.size() + sparseMemo.size());
                case BINGET -> push(memoGet(in.u8(), at));
                case LONG_BINGET -> push(memoGet(in.u32(), at));
                case EMPTY_TUPLE -> push(Tuple.EMPTY);
                case TUPLE -> push(tuple(popMark()));
                case TUPLE1 -> push(tupleOf(1));
                case TUPLE2 -> push(tupleOf(2));
                case TUPLE3 -> push(tupleOf(3));
                case EMPTY_LIST -> push(newList(new ArrayList<>()));
                case LIST -> push(newList(popMark()));
                case APPEND -> {
                    Object value = pop();
                    list(peek(), at).add(value);
                }
                case APPENDS -> {
                    List<Object> values = popMark();
                    list(peek(), at).addAll(values);
                }
                case EMPTY_DICT -> push(newDict(new LinkedHashMap<>()));
                case DICT -> {
                    Map<Object, Object> dict = newDict(new LinkedHashMap<>());
                    putAll(dict, popMark(), at);
                    push(dict);
                }
                case SETITEM -> {
                    Object value = pop();
                    Object key = pop();
                    put(dict(peek(), at), key, value);
                }
                case SETITEMS -> {
                    List<Object> items = popMark();
                    putAll(dict(peek(), at), items, at);
                }
                case BINUNICODE -> push(str(in.length(in.u32(), at), at));
                case SHORT_BINUNICODE, SHORT_BINSTRING -> push(str(in.u8(), at));
                case BINUNICODE8 -> push(str(in.length(in.s64(), at), at));
                case BINSTRING -> push(str(in.length(in.s32(), at), at));
                case SHORT_BINBYTES -> push(bytes(in.u8()));
                case BINBYTES -> push(bytes(in.length(in.u32(), at)));
                case BINBYTES8 -> push(bytes(in.length(in.s64(), at)));
                case BININT -> push(integer(in.s32()));
                case BININT1 -> push(integer(in.u8()));
                case BININT2 -> push(integer(in.u8() | in.u8() << 8));
                case LONG1 -> push(integer(in.littleEndianInt(in.u8(), at)));
                case LONG4 -> push(integer(in.littleEndianInt(in.length(in.s32(), at), at)));
                case NEWTRUE -> push(Boolean.TRUE);
                case NEWFALSE -> push(Boolean.FALSE);
                case NONE -> push(None.NONE);
                case BINFLOAT -> {
                    charge(16);
                    push(Double.longBitsToDouble(in.bigEndianLong()));
                }
                case REDUCE -> {
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, args, at));
                }
                case NEWOBJ -> { // cls.__new__(cls, *args)
                    Object args = pop();
                    Object cls = pop();
                    if (cls != TorchGlobal.ORDERED_DICT
                            || !(args instanceof Tuple t)
                            || !t.items().isEmpty()) {
                        throw in.unsupported("NEWOBJ of " + describe(cls), at);
                    }
                    push(newDict(new OrderedDict()));
                }
                case BINPERSID -> push(persistentLoad(pop(), at));
                case BUILD -> {
                    Object state = pop();
                    Object target = peek();
                    if (!(target instanceof OrderedDict)) {
                        throw in.unsupported(
                                "BUILD (setting the state " + describe(state) + ") of " + describe(target), at);
                    }
                    // An OrderedDict's state is its attributes: a state_dict's _metadata, unused here.
                }
            }
        }
    }

    // ---- globals and calls ---------------------------------------------------------------------

    private Object resolve(String module, String name, int at) {
        Object global = TorchGlobal.resolve(module, name);
        if (global == null) {
            throw new MalformedFileException(
                    file,
                    "unsupported object " + module + "." + name + " (byte " + at
                            + " of data.pkl); torchffm reads only dicts of tensors and runs no code from checkpoints");
        }
        return global;
    }

    private Object call(Object callable, Object argsObject, int at) {
        if (!(callable instanceof TorchGlobal g)) {
            throw in.unsupported("calling " + describe(callable), at);
        }
        if (!(argsObject instanceof Tuple argsTuple)) {
            throw in.malformed("REDUCE arguments are " + describe(argsObject) + ", not a tuple", at);
        }
        List<Object> args = argsTuple.items();
        return switch (g) {
            case ORDERED_DICT -> {
                OrderedDict dict = newDict(new OrderedDict());
                if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
                    for (Object pair : pairs) {
                        if (!(pair instanceof Tuple t) || t.items().size() != 2) {
                            throw in.malformed("OrderedDict item is " + describe(pair) + ", not a pair", at);
                        }
                        put(dict, t.items().get(0), t.items().get(1));
                    }
                } else if (!args.isEmpty()) {
                    throw in.unsupported("OrderedDict with arguments " + describeAll(args), at);
                }
                yield dict;
            }
            case REBUILD_TENSOR_V2 -> {
                arity(g, args, 6, 7, at);
                if (!(args.get(0) instanceof StorageRef storage)) {
                    throw in.malformed("_rebuild_tensor_v2 storage is " + describe(args.get(0)), at);
                }
                if (args.size() == 7
                        && args.get(6) instanceof Map<?, ?> metadata
                        && metadata.values().stream().anyMatch(v -> !Boolean.FALSE.equals(v))) {
                    throw in.unsupported("tensor metadata " + metadata.keySet(), at);
                }
                long[] size = integers(args.get(2), "size", at);
                charge(64 + 16L * size.length);
                yield new TensorRef(
                        storage, integer(args.get(1), "storage offset", at), size, integers(args.get(3), "stride", at));
            }
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                int n = g == TorchGlobal.REBUILD_PARAMETER ? 3 : 4;
                arity(g, args, n, n, at);
                if (!(args.get(0) instanceof TensorRef t)) {
                    throw in.malformed(g.qualifiedName() + " data is " + describe(args.get(0)), at);
                }
                yield t;
            }
            case RESTORE_TYPE_TAG -> {
                arity(g, args, 2, 2, at);
                yield args.get(0); // the tag (e.g. "Dict[str, Tensor]") only types the value for TorchScript
            }
        };
    }

    private Object persistentLoad(Object pid, int at) {
        if (!(pid instanceof Tuple t)
                || t.items().size() != 5
                || !"storage".equals(t.items().get(0))) {
            throw in.unsupported(
                    "persistent id " + describe(pid) + " (expected ('storage', type, key, location," + " numel))", at);
        }
        List<Object> items = t.items();
        if (!(items.get(1) instanceof StorageType type)) {
            throw in.malformed("persistent id storage type is " + describe(items.get(1)), at);
        }
        if (!(items.get(2) instanceof String key) || !(items.get(3) instanceof String)) {
            throw in.malformed("persistent id key and location must be str", at);
        }
        if (type.dtype == null) {
            throw new MalformedFileException(
                    file,
                    "it holds a tensor of dtype " + type.torchDType + " (torch."
                            + type.className + "), which torchffm does not support; supported: "
                            + Arrays.toString(DType.values()));
        }
        charge(32);
        return new StorageRef(type.dtype, key);
    }

    private void arity(TorchGlobal g, List<Object> args, int min, int max, int at) {
        if (args.size() < min || args.size() > max) {
            throw in.malformed(
                    g.qualifiedName() + " takes " + (min == max ? min : min + " or " + max) + " arguments, got "
                            + args.size(),
                    at);
        }
    }

    private long integer(Object o, String what, int at) {
        if (!(o instanceof Long l)) {
            throw in.malformed(what + " is " + describe(o) + ", not an int", at);
        }
        return l;
    }

    private long[] integers(Object o, String what, int at) {
        if (!(o instanceof Tuple t)) {
            throw in.malformed(what + " is " + describe(o) + ", not a tuple", at);
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(t.items().get(i), what, at);
        }
        return out;
    }

    // ---- values, charged to the heap budget ----------------------------------------------------

    private void charge(long bytes) {
        heapLeft -= bytes;
        if (heapLeft < 0) {
            throw new MalformedFileException(
                    file,
                    "data.pkl (" + in.length() + " bytes) builds more values than"
                            + " a checkpoint of its size can hold (over " + HEAP_PER_BYTE
                            + " bytes of objects per byte;"
                            + " stopped at byte " + in.position() + ")");
        }
    }

    private Long integer(long v) {
        if (v < -128 || v > 127) {
            charge(16); // Long.valueOf caches the others
        }
        return v;
    }

    private String str(int n, int at) {
        charge(48 + 2L * n);
        return in.utf8(n, at);
    }

    private byte[] bytes(int n) {
        charge(24 + (long) n);
        return in.bytes(n);
    }

    private Tuple tuple(List<Object> items) {
        charge(32 + 8L * items.size());
        return new Tuple(Collections.unmodifiableList(items));
    }

    private List<Object> newList(List<Object> list) {
        charge(48 + 8L * list.size());
        return list;
    }

    private <M extends Map<Object, Object>> M newDict(M dict) {
        charge(96);
        return dict;
    }

    private void put(Map<Object, Object> dict, Object key, Object value) {
        charge(48);
        dict.put(key, value);
    }

    private void memoPut(long index) {
        Object value = peek();
        if (index < memo.size()) {
            memo.set((int) index, value);
        } else if (index == memo.size()) {
            charge(8);
            memo.add(value);
        } else {
            charge(64);
            sparseMemo.put(index, value);
        }
    }

    // ---- stack ---------------------------------------------------------------------------------

    private void push(Object o) {
        charge(8);
        stack.add(o);
    }

    private Object pop() {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.get(marks.size() - 1))) {
            throw in.malformed("stack underflow", in.position() - 1);
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.get(marks.size() - 1))) {
            throw in.malformed("stack underflow", in.position() - 1);
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw in.malformed("no MARK", in.position() - 1);
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> top = new ArrayList<>(stack.subList(mark, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return top;
    }

    private Tuple tupleOf(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        charge(32 + 8L * n);
        return new Tuple(List.of(items));
    }

    private Object memoGet(long index, int at) {
        Object o = index < memo.size() ? memo.get((int) index) : sparseMemo.get(index);
        if (o == null) {
            throw in.malformed("memo " + index + " is not set", at);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, int at) {
        if (!(o instanceof ArrayList<?>)) {
            throw in.malformed("APPEND to " + describe(o), at);
        }
        charge(8);
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, int at) {
        if (!(o instanceof LinkedHashMap<?, ?>)) {
            throw in.malformed("SETITEM on " + describe(o), at);
        }
        return (Map<Object, Object>) o;
    }

    private void putAll(Map<Object, Object> dict, List<Object> items, int at) {
        if (items.size() % 2 != 0) {
            throw in.malformed("odd number of dict items", at);
        }
        for (int i = 0; i < items.size(); i += 2) {
            put(dict, items.get(i), items.get(i + 1));
        }
    }
}
