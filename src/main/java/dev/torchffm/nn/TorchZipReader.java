package dev.torchffm.nn;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch zip checkpoint that holds a dict of {@code str} to tensor, such as Python's
 * {@code torch.save(net.state_dict(), f)} or LibTorch's {@code torch::pickle_save} of a
 * {@code c10::Dict<std::string, at::Tensor>}, in pure Java.
 *
 * <p>The archive's {@code data.pkl} is read by a restricted unpickler that runs no code from the
 * file: it knows the opcodes that {@code torch.save} and {@code torch::pickle_save} emit and
 * resolves only the globals that rebuild a dict of tensors ({@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter[_with_state]},
 * {@code torch.jit._pickle.restore_type_tag} and the {@code torch.*Storage} types). Any other
 * global is rejected. Tensor data comes from the archive's {@code data/<key>} records, which are
 * little-endian; the elements a tensor views (offset, size, stride) are gathered into a new dense
 * CPU tensor.
 */
final class TorchZipReader {
    private TorchZipReader() {}

    private static final int MAX_PICKLE_BYTES = 1 << 30;

    /**
     * Reads every named tensor of {@code file}, in the file's order, as new CPU tensors (which belong
     * to the current {@link dev.torchffm.TensorScope}, or to the caller when none is open).
     *
     * @throws UncheckedIOException when the file cannot be read (missing, unreadable)
     * @throws IllegalArgumentException when the file is not a PyTorch zip checkpoint holding a dict
     *     of str to tensor of a dtype torchffm supports, or is damaged; the message names the file
     */
    static LinkedHashMap<String, Tensor> read(Path file) {
        Objects.requireNonNull(file, "file");
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw notAZip(file, e);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": access denied", e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new UncheckedIOException("cannot read checkpoint " + file + ": it is a directory", e);
            }
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e, e);
        }
        try (zip) {
            Archive archive = new Archive(file, zip);
            Object top = new Unpickler(file, archive.pickle()).load();
            return archive.tensors(top);
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException(file + " is a damaged or truncated zip file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e, e);
        }
    }

    private static IllegalArgumentException notAZip(Path file, ZipException cause) {
        byte[] head = new byte[4];
        int n = 0;
        long length = -1;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
            length = Files.size(file);
        } catch (IOException e) {
            // describe it from the zip error alone
        }
        String why;
        if (length == 0) {
            why = " is empty, not a PyTorch zip checkpoint";
        } else if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            why = " is in PyTorch's legacy (non-zip) torch.save format, which torchffm does not read;"
                    + " re-save it with torch.save(obj, f, _use_new_zipfile_serialization=True)";
        } else if (n >= 2 && head[0] == 'P' && head[1] == 'K') {
            why = " is a damaged or truncated zip file (" + cause.getMessage() + ")";
        } else {
            why = " is not a PyTorch zip checkpoint; save it with torch.save(obj, f,"
                    + " _use_new_zipfile_serialization=True) (the default since PyTorch 1.6)";
        }
        return new IllegalArgumentException(file + why, cause);
    }

    // ---- the archive ---------------------------------------------------------------------------

    /** The records of one checkpoint archive. */
    private static final class Archive {
        private final Path file;
        private final ZipFile zip;
        private final String prefix;

        Archive(Path file, ZipFile zip) throws IOException {
            this.file = file;
            this.zip = zip;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            if (!entries.hasMoreElements()) {
                throw new IllegalArgumentException(file + " is an empty zip file, not a PyTorch checkpoint");
            }
            String first = entries.nextElement().getName();
            int slash = first.indexOf('/');
            if (slash <= 0 || zip.getEntry(first.substring(0, slash) + "/data.pkl") == null) {
                throw new IllegalArgumentException(file + " is a zip file but not a PyTorch checkpoint"
                        + " (no <archive>/data.pkl record)");
            }
            prefix = first.substring(0, slash) + "/";
            if (zip.getEntry(prefix + "constants.pkl") != null) {
                throw new IllegalArgumentException(file + " is a TorchScript module archive (torch.jit.save),"
                        + " not a checkpoint of a dict of tensors; save net.state_dict() with torch.save instead");
            }
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String value = new String(readSmall(order, 64), StandardCharsets.US_ASCII).trim();
                if (!value.equals("little")) {
                    throw new IllegalArgumentException(file + " has byte order '" + value
                            + "'; torchffm reads only little-endian checkpoints");
                }
            }
        }

        byte[] pickle() throws IOException {
            return readSmall(zip.getEntry(prefix + "data.pkl"), MAX_PICKLE_BYTES);
        }

        private byte[] readSmall(ZipEntry entry, int limit) throws IOException {
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] bytes = in.readNBytes(limit + 1);
                if (bytes.length > limit) {
                    throw new IllegalArgumentException(file + ": record " + entry.getName() + " is over "
                            + limit + " bytes");
                }
                return bytes;
            }
        }

        /** Checks that {@code top} is a dict of str to tensor, then makes the tensors. */
        LinkedHashMap<String, Tensor> tensors(Object top) throws IOException {
            if (!(top instanceof Map<?, ?> dict)) {
                throw new IllegalArgumentException(file + " holds " + describe(top)
                        + ", not a dict of tensors (a state_dict)");
            }
            LinkedHashMap<String, TensorRef> refs = new LinkedHashMap<>();
            Map<String, Integer> uses = new HashMap<>();
            for (var e : dict.entrySet()) {
                if (!(e.getKey() instanceof String name)) {
                    throw new IllegalArgumentException(file + " has a dict key that is " + describe(e.getKey())
                            + ", not a str; torchffm reads dicts of str to tensor");
                }
                if (!(e.getValue() instanceof TensorRef ref)) {
                    throw new IllegalArgumentException(file + ": entry '" + name + "' is " + describe(e.getValue())
                            + ", not a tensor; torchffm reads dicts of str to tensor");
                }
                check(name, ref);
                refs.put(name, ref);
                if (ref.numel() > 0) {
                    uses.merge(ref.storage().key(), 1, Integer::sum);
                }
            }
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            Map<String, Storage> open = new HashMap<>();
            try {
                for (var e : refs.entrySet()) {
                    TensorRef ref = e.getValue();
                    if (ref.numel() == 0) {
                        out.put(e.getKey(), Tensor.zeros(ref.storage().dtype(), Device.CPU, ref.size()));
                        continue;
                    }
                    String key = ref.storage().key();
                    Storage storage = open.get(key);
                    if (storage == null) {
                        storage = load(key);
                        open.put(key, storage);
                    }
                    out.put(e.getKey(), build(ref, storage.data()));
                    if (uses.merge(key, -1, Integer::sum) == 0) {
                        open.remove(key).arena().close();
                    }
                }
                return out;
            } catch (RuntimeException | IOException | Error e) {
                out.values().forEach(Tensor::close);
                throw e;
            } finally {
                open.values().forEach(s -> s.arena().close());
            }
        }

        private ZipEntry storageEntry(String name, TensorRef ref) {
            String key = ref.storage().key();
            ZipEntry entry = key.isEmpty() || key.contains("/") ? null : zip.getEntry(prefix + "data/" + key);
            if (entry == null) {
                throw new IllegalArgumentException(file + " lacks the data record '" + prefix + "data/" + key
                        + "' of tensor '" + name + "'");
            }
            return entry;
        }

        /** Checks the view of {@code ref} against its storage record, before any tensor is made. */
        private void check(String name, TensorRef ref) {
            long[] size = ref.size();
            long[] stride = ref.stride();
            if (size.length != stride.length) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' has size " + Arrays.toString(size)
                        + " but stride " + Arrays.toString(stride));
            }
            if (ref.offset() < 0 || Arrays.stream(size).anyMatch(s -> s < 0)
                    || Arrays.stream(stride).anyMatch(s -> s < 0)) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' has a negative offset, size"
                        + " or stride (offset " + ref.offset() + ", size " + Arrays.toString(size) + ", stride "
                        + Arrays.toString(stride) + ")");
            }
            if (ref.numel() == 0) {
                return;
            }
            long elementSize = ref.storage().dtype().byteSize();
            long available = storageEntry(name, ref).getSize() / elementSize;
            long last;
            try {
                last = ref.offset();
                for (int d = 0; d < size.length; d++) {
                    last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
                }
            } catch (ArithmeticException e) {
                last = Long.MAX_VALUE;
            }
            if (last >= available) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' (offset " + ref.offset()
                        + ", size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                        + ") reaches past the " + available + " elements of its storage '" + ref.storage().key() + "'");
            }
        }

        /** Reads one storage record into native memory. */
        private Storage load(String key) throws IOException {
            ZipEntry entry = zip.getEntry(prefix + "data/" + key);
            long size = entry.getSize();
            Arena arena = Arena.ofConfined();
            try {
                MemorySegment data = arena.allocate(Math.max(size, 1), 8);
                byte[] buffer = new byte[1 << 20];
                long at = 0;
                try (InputStream in = zip.getInputStream(entry)) {
                    int n;
                    while (at < size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size - at))) > 0) {
                        MemorySegment.copy(buffer, 0, data, ValueLayout.JAVA_BYTE, at, n);
                        at += n;
                    }
                }
                if (at != size) {
                    throw new IllegalArgumentException(file + ": data record " + entry.getName() + " is truncated ("
                            + at + " of " + size + " bytes)");
                }
                return new Storage(arena, data.asSlice(0, size));
            } catch (RuntimeException | IOException | Error e) {
                arena.close();
                throw e;
            }
        }
    }

    private record Storage(Arena arena, MemorySegment data) {}

    /** A dense CPU tensor holding the elements that {@code ref} views in {@code storage}. */
    private static Tensor build(TensorRef ref, MemorySegment storage) {
        DType dtype = ref.storage().dtype();
        long es = dtype.byteSize();
        long numel = ref.numel();
        long[] size = ref.size();
        long[] stride = ref.stride();
        boolean littleEndianHost = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        if (littleEndianHost && isContiguous(size, stride)) {
            return Tensor.copyOf(storage.asSlice(ref.offset() * es, numel * es), dtype, Device.CPU, size);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dense = arena.allocate(numel * es, 8);
            int nd = size.length;
            if (nd == 0) {
                MemorySegment.copy(storage, ref.offset() * es, dense, 0, es);
            } else {
                int last = nd - 1;
                long row = size[last];
                long[] index = new long[nd];
                long to = 0;
                for (long r = numel / row; r > 0; r--) {
                    long base = ref.offset();
                    for (int d = 0; d < last; d++) {
                        base += index[d] * stride[d];
                    }
                    if (stride[last] == 1) {
                        MemorySegment.copy(storage, base * es, dense, to, row * es);
                        to += row * es;
                    } else {
                        for (long j = 0; j < row; j++, to += es) {
                            MemorySegment.copy(storage, (base + j * stride[last]) * es, dense, to, es);
                        }
                    }
                    for (int d = last - 1; d >= 0; d--) {
                        if (++index[d] < size[d]) {
                            break;
                        }
                        index[d] = 0;
                    }
                }
            }
            if (!littleEndianHost) {
                swapBytes(dense, (int) es);
            }
            return Tensor.copyOf(dense, dtype, Device.CPU, size);
        }
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    private static void swapBytes(MemorySegment data, int elementSize) {
        long n = data.byteSize() / elementSize;
        switch (elementSize) {
            case 2 -> {
                for (long i = 0; i < n; i++) {
                    data.setAtIndex(ValueLayout.JAVA_SHORT, i, Short.reverseBytes(data.getAtIndex(ValueLayout.JAVA_SHORT, i)));
                }
            }
            case 4 -> {
                for (long i = 0; i < n; i++) {
                    data.setAtIndex(ValueLayout.JAVA_INT, i, Integer.reverseBytes(data.getAtIndex(ValueLayout.JAVA_INT, i)));
                }
            }
            case 8 -> {
                for (long i = 0; i < n; i++) {
                    data.setAtIndex(ValueLayout.JAVA_LONG, i, Long.reverseBytes(data.getAtIndex(ValueLayout.JAVA_LONG, i)));
                }
            }
            default -> {}
        }
    }

    // ---- the unpickler's values ----------------------------------------------------------------

    /** Python's None (the stack and containers hold no Java nulls). */
    private enum None { NONE }

    /** A Python tuple. */
    private record Tuple(List<Object> items) {}

    /** A {@code collections.OrderedDict}; BUILD on it (its {@code _metadata}) is ignored. */
    private static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    /** The only callables the unpickler knows. */
    private enum Callable {
        ORDERED_DICT("collections.OrderedDict"),
        REBUILD_TENSOR_V2("torch._utils._rebuild_tensor_v2"),
        REBUILD_PARAMETER("torch._utils._rebuild_parameter"),
        REBUILD_PARAMETER_WITH_STATE("torch._utils._rebuild_parameter_with_state"),
        RESTORE_TYPE_TAG("torch.jit._pickle.restore_type_tag");

        final String qualifiedName;

        Callable(String qualifiedName) {
            this.qualifiedName = qualifiedName;
        }
    }

    /** A {@code torch.<Name>Storage} type; {@code dtype} is null for one torchffm does not map. */
    private record StorageType(String name, DType dtype, String torchDType) {}

    private static final Map<String, StorageType> STORAGE_TYPES = storageTypes();

    private static Map<String, StorageType> storageTypes() {
        Map<String, StorageType> m = new HashMap<>();
        Object[][] known = {
            {"FloatStorage", DType.FLOAT32, "float32"}, {"DoubleStorage", DType.FLOAT64, "float64"},
            {"LongStorage", DType.INT64, "int64"}, {"IntStorage", DType.INT32, "int32"},
            {"ByteStorage", DType.UINT8, "uint8"}, {"CharStorage", DType.INT8, "int8"},
            {"BoolStorage", DType.BOOL, "bool"}, {"HalfStorage", null, "float16"},
            {"BFloat16Storage", null, "bfloat16"}, {"ShortStorage", null, "int16"},
            {"ComplexFloatStorage", null, "complex64"}, {"ComplexDoubleStorage", null, "complex128"},
            {"QInt8Storage", null, "qint8"}, {"QUInt8Storage", null, "quint8"},
            {"QInt32Storage", null, "qint32"}, {"QUInt4x2Storage", null, "quint4x2"},
            {"QUInt2x4Storage", null, "quint2x4"}, {"UntypedStorage", null, "untyped"},
        };
        for (Object[] k : known) {
            m.put((String) k[0], new StorageType((String) k[0], (DType) k[1], (String) k[2]));
        }
        return Map.copyOf(m);
    }

    /** A persistent id's storage: {@code data/<key>} holding elements of {@code dtype}. */
    private record StorageRef(DType dtype, String key) {}

    /** A tensor to make: the elements of {@code storage} at offset, size and stride (in elements). */
    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
        long numel() {
            long n = 1;
            for (long s : size) {
                n = Math.multiplyExact(n, s);
            }
            return n;
        }
    }

    private static String describe(Object o) {
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
            case Callable c -> "the function " + c.qualifiedName;
            case StorageType s -> "the type torch." + s.name();
            case StorageRef s -> "a storage";
            case TensorRef t -> "a tensor";
            default -> "a " + o.getClass().getSimpleName();
        };
    }

    // ---- the unpickler -------------------------------------------------------------------------

    /** A pickle machine for protocols 2 to 5 that builds only dicts, lists, tuples, scalars and tensors. */
    private static final class Unpickler {
        private final Path file;
        private final byte[] in;
        private int pos;
        private final ArrayList<Object> stack = new ArrayList<>();
        private final ArrayList<Integer> marks = new ArrayList<>();
        private final Map<Long, Object> memo = new HashMap<>();

        Unpickler(Path file, byte[] in) {
            this.file = file;
            this.in = in;
        }

        Object load() {
            while (true) {
                int at = pos;
                int op = u8();
                switch (op) {
                    case 0x80 -> { // PROTO
                        int proto = u8();
                        if (proto < 2 || proto > 5) {
                            throw malformed("pickle protocol " + proto + " is not supported", at);
                        }
                    }
                    case 0x95 -> skip(8); // FRAME: frames need no handling when the whole pickle is in memory
                    case '.' -> { // STOP
                        if (stack.size() != 1 || !marks.isEmpty()) {
                            throw malformed("STOP with " + stack.size() + " values on the stack", at);
                        }
                        return stack.get(0);
                    }
                    case '(' -> marks.add(stack.size()); // MARK
                    case '0' -> pop(); // POP
                    case '1' -> popMark(); // POP_MARK
                    case '2' -> push(peek()); // DUP
                    case 'c' -> push(resolve(line(), line(), at)); // GLOBAL
                    case 0x93 -> { // STACK_GLOBAL
                        Object name = pop();
                        Object module = pop();
                        if (!(module instanceof String m) || !(name instanceof String n)) {
                            throw malformed("STACK_GLOBAL needs two str", at);
                        }
                        push(resolve(m, n, at));
                    }
                    case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                    case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
                    case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                    case 'h' -> push(memoGet(u8(), at)); // BINGET
                    case 'j' -> push(memoGet(u32(), at)); // LONG_BINGET
                    case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                    case 't' -> push(new Tuple(Collections.unmodifiableList(popMark()))); // TUPLE
                    case 0x85 -> push(tupleOf(1)); // TUPLE1
                    case 0x86 -> push(tupleOf(2)); // TUPLE2
                    case 0x87 -> push(tupleOf(3)); // TUPLE3
                    case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                    case 'l' -> push(popMark()); // LIST
                    case 'a' -> { // APPEND
                        Object value = pop();
                        list(peek(), at).add(value);
                    }
                    case 'e' -> { // APPENDS
                        List<Object> values = popMark();
                        list(peek(), at).addAll(values);
                    }
                    case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                    case 'd' -> { // DICT
                        Map<Object, Object> dict = new LinkedHashMap<>();
                        putAll(dict, popMark(), at);
                        push(dict);
                    }
                    case 's' -> { // SETITEM
                        Object value = pop();
                        Object key = pop();
                        dict(peek(), at).put(key, value);
                    }
                    case 'u' -> { // SETITEMS
                        List<Object> items = popMark();
                        putAll(dict(peek(), at), items, at);
                    }
                    case 'X' -> push(utf8(length(u32(), at))); // BINUNICODE
                    case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                    case 0x8d -> push(utf8(length(s64(), at))); // BINUNICODE8
                    case 'U' -> push(utf8(u8())); // SHORT_BINSTRING
                    case 'T' -> push(utf8(length(s32(), at))); // BINSTRING
                    case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                    case 'B' -> push(bytes(length(u32(), at))); // BINBYTES
                    case 0x8e -> push(bytes(length(s64(), at))); // BINBYTES8
                    case 'J' -> push((long) s32()); // BININT
                    case 'K' -> push((long) u8()); // BININT1
                    case 'M' -> push((long) (u8() | u8() << 8)); // BININT2
                    case 0x8a -> push(littleEndianInt(u8(), at)); // LONG1
                    case 0x8b -> push(littleEndianInt(length(s32(), at), at)); // LONG4
                    case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                    case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                    case 'N' -> push(None.NONE); // NONE
                    case 'G' -> push(Double.longBitsToDouble(bigEndianLong())); // BINFLOAT
                    case 'R' -> { // REDUCE
                        Object args = pop();
                        Object callable = pop();
                        push(call(callable, args, at));
                    }
                    case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args)
                        Object args = pop();
                        Object cls = pop();
                        if (cls != Callable.ORDERED_DICT || !(args instanceof Tuple t) || !t.items().isEmpty()) {
                            throw unsupported("NEWOBJ of " + describe(cls), at);
                        }
                        push(new OrderedDict());
                    }
                    case 'Q' -> push(persistentLoad(pop(), at)); // BINPERSID
                    case 'b' -> { // BUILD
                        Object state = pop();
                        Object target = peek();
                        if (!(target instanceof OrderedDict)) {
                            throw unsupported("BUILD (setting the state " + describe(state) + ") of "
                                    + describe(target), at);
                        }
                        // An OrderedDict's state is its attributes: a state_dict's _metadata, unused here.
                    }
                    default -> throw unsupported(String.format("pickle opcode 0x%02x", op), at);
                }
            }
        }

        // -- globals and calls --

        private Object resolve(String module, String name, int at) {
            String qualified = module + "." + name;
            for (Callable c : Callable.values()) {
                if (c.qualifiedName.equals(qualified)) {
                    return c;
                }
            }
            if (module.equals("torch") && STORAGE_TYPES.containsKey(name)) {
                return STORAGE_TYPES.get(name);
            }
            throw new IllegalArgumentException("unsupported object " + qualified + " in " + file
                    + " (byte " + at + " of data.pkl); torchffm reads only dicts of tensors and runs no code"
                    + " from checkpoints");
        }

        private Object call(Object callable, Object argsObject, int at) {
            if (!(callable instanceof Callable c)) {
                throw unsupported("calling " + describe(callable), at);
            }
            if (!(argsObject instanceof Tuple argsTuple)) {
                throw malformed("REDUCE arguments are " + describe(argsObject) + ", not a tuple", at);
            }
            List<Object> args = argsTuple.items();
            return switch (c) {
                case ORDERED_DICT -> {
                    OrderedDict dict = new OrderedDict();
                    if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
                        for (Object pair : pairs) {
                            if (!(pair instanceof Tuple t) || t.items().size() != 2) {
                                throw malformed("OrderedDict item is " + describe(pair) + ", not a pair", at);
                            }
                            dict.put(t.items().get(0), t.items().get(1));
                        }
                    } else if (!args.isEmpty()) {
                        throw unsupported("OrderedDict with arguments " + describeAll(args), at);
                    }
                    yield dict;
                }
                case REBUILD_TENSOR_V2 -> {
                    arity(c, args, 6, 7, at);
                    if (!(args.get(0) instanceof StorageRef storage)) {
                        throw malformed("_rebuild_tensor_v2 storage is " + describe(args.get(0)), at);
                    }
                    if (args.size() == 7 && args.get(6) instanceof Map<?, ?> metadata
                            && metadata.values().stream().anyMatch(v -> !Boolean.FALSE.equals(v))) {
                        throw unsupported("tensor metadata " + metadata.keySet(), at);
                    }
                    yield new TensorRef(storage, integer(args.get(1), "storage offset", at),
                            integers(args.get(2), "size", at), integers(args.get(3), "stride", at));
                }
                case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                    arity(c, args, c == Callable.REBUILD_PARAMETER ? 3 : 4, c == Callable.REBUILD_PARAMETER ? 3 : 4, at);
                    if (!(args.get(0) instanceof TensorRef t)) {
                        throw malformed(c.qualifiedName + " data is " + describe(args.get(0)), at);
                    }
                    yield t;
                }
                case RESTORE_TYPE_TAG -> {
                    arity(c, args, 2, 2, at);
                    yield args.get(0); // the tag (e.g. "Dict[str, Tensor]") only types the value for TorchScript
                }
            };
        }

        private Object persistentLoad(Object pid, int at) {
            if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
                throw unsupported("persistent id " + describe(pid) + " (expected ('storage', type, key, location,"
                        + " numel))", at);
            }
            List<Object> items = t.items();
            if (!(items.get(1) instanceof StorageType type)) {
                throw malformed("persistent id storage type is " + describe(items.get(1)), at);
            }
            if (!(items.get(2) instanceof String key) || !(items.get(3) instanceof String)) {
                throw malformed("persistent id key and location must be str", at);
            }
            if (type.dtype() == null) {
                throw new IllegalArgumentException(file + " holds a tensor of dtype " + type.torchDType()
                        + " (torch." + type.name() + "), which torchffm does not support; supported: "
                        + Arrays.toString(DType.values()));
            }
            return new StorageRef(type.dtype(), key);
        }

        private void arity(Callable c, List<Object> args, int min, int max, int at) {
            if (args.size() < min || args.size() > max) {
                throw malformed(c.qualifiedName + " takes " + (min == max ? min : min + " or " + max)
                        + " arguments, got " + args.size(), at);
            }
        }

        private long integer(Object o, String what, int at) {
            if (!(o instanceof Long l)) {
                throw malformed(what + " is " + describe(o) + ", not an int", at);
            }
            return l;
        }

        private long[] integers(Object o, String what, int at) {
            if (!(o instanceof Tuple t)) {
                throw malformed(what + " is " + describe(o) + ", not a tuple", at);
            }
            long[] out = new long[t.items().size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = integer(t.items().get(i), what, at);
            }
            return out;
        }

        private static String describeAll(List<Object> values) {
            return values.stream().map(TorchZipReader::describe).toList().toString();
        }

        // -- stack --

        private void push(Object o) {
            stack.add(o);
        }

        private Object pop() {
            if (stack.size() <= (marks.isEmpty() ? 0 : marks.get(marks.size() - 1))) {
                throw malformed("stack underflow", pos - 1);
            }
            return stack.remove(stack.size() - 1);
        }

        private Object peek() {
            if (stack.size() <= (marks.isEmpty() ? 0 : marks.get(marks.size() - 1))) {
                throw malformed("stack underflow", pos - 1);
            }
            return stack.get(stack.size() - 1);
        }

        private List<Object> popMark() {
            if (marks.isEmpty()) {
                throw malformed("no MARK", pos - 1);
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
            return new Tuple(List.of(items));
        }

        private Object memoGet(long index, int at) {
            Object o = memo.get(index);
            if (o == null) {
                throw malformed("memo " + index + " is not set", at);
            }
            return o;
        }

        @SuppressWarnings("unchecked")
        private List<Object> list(Object o, int at) {
            if (!(o instanceof ArrayList<?>)) {
                throw malformed("APPEND to " + describe(o), at);
            }
            return (List<Object>) o;
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> dict(Object o, int at) {
            if (!(o instanceof LinkedHashMap<?, ?>)) {
                throw malformed("SETITEM on " + describe(o), at);
            }
            return (Map<Object, Object>) o;
        }

        private void putAll(Map<Object, Object> dict, List<Object> items, int at) {
            if (items.size() % 2 != 0) {
                throw malformed("odd number of dict items", at);
            }
            for (int i = 0; i < items.size(); i += 2) {
                dict.put(items.get(i), items.get(i + 1));
            }
        }

        // -- bytes --

        private void need(long n) {
            if (n > in.length - pos) {
                throw new IllegalArgumentException(file + ": data.pkl is truncated (needs " + n + " bytes at byte "
                        + pos + " of " + in.length + ")");
            }
        }

        private int u8() {
            need(1);
            return in[pos++] & 0xff;
        }

        private void skip(int n) {
            need(n);
            pos += n;
        }

        private int s32() {
            need(4);
            int v = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8 | (in[pos + 2] & 0xff) << 16 | in[pos + 3] << 24;
            pos += 4;
            return v;
        }

        private long u32() {
            return s32() & 0xffffffffL;
        }

        private long s64() {
            need(8);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = v << 8 | (in[pos + i] & 0xff);
            }
            pos += 8;
            return v;
        }

        private long bigEndianLong() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (in[pos + i] & 0xff);
            }
            pos += 8;
            return v;
        }

        private int length(long n, int at) {
            if (n < 0) {
                throw malformed("negative length " + n, at);
            }
            need(n);
            return (int) n;
        }

        private Long littleEndianInt(int n, int at) {
            if (n > 8) {
                throw unsupported("integer of " + n + " bytes", at);
            }
            need(n);
            long v = 0;
            for (int i = n - 1; i >= 0; i--) {
                v = v << 8 | (in[pos + i] & 0xff);
            }
            if (n > 0 && n < 8 && in[pos + n - 1] < 0) {
                v -= 1L << (8 * n); // sign-extend
            }
            pos += n;
            return v;
        }

        private String utf8(int n) {
            need(n);
            String s = new String(in, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        private byte[] bytes(int n) {
            need(n);
            byte[] b = Arrays.copyOfRange(in, pos, pos + n);
            pos += n;
            return b;
        }

        private String line() {
            int start = pos;
            while (pos < in.length && in[pos] != '\n') {
                pos++;
            }
            if (pos == in.length) {
                throw new IllegalArgumentException(file + ": data.pkl is truncated (unterminated GLOBAL at byte "
                        + start + ")");
            }
            return new String(in, start, pos++ - start, StandardCharsets.UTF_8);
        }

        private IllegalArgumentException malformed(String what, int at) {
            return new IllegalArgumentException(file + ": malformed data.pkl: " + what + " at byte " + at);
        }

        private IllegalArgumentException unsupported(String what, int at) {
            return new IllegalArgumentException(file + ": unsupported " + what + " at byte " + at
                    + " of data.pkl; torchffm reads only dicts of str to tensor");
        }
    }
}
