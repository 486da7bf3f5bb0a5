package dev.torchffm.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.nn.Linear;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure-Java checkpoint reader: Python- and LibTorch-written files, and every way to reject one. */
class TorchZipReaderTest {
    @TempDir
    Path dir;

    // ---- files PyTorch wrote -------------------------------------------------------------------

    /** src/test/python/gen_checkpoints.py wrote this with Python's torch.save; needs no Python here. */
    @Test
    void readsThePythonFixture() throws IOException {
        Path file = fixture();
        try (TensorScope s = TensorScope.open()) {
            Map<String, Tensor> d = TorchZipReader.read(file);
            assertEquals(
                    List.of(
                            "weight",
                            "bias",
                            "float64",
                            "view",
                            "transposed",
                            "permuted",
                            "expanded",
                            "int64",
                            "int8",
                            "uint8",
                            "bool",
                            "scalar",
                            "empty",
                            "param"),
                    List.copyOf(d.keySet()));
            assertEquals(d.size(), s.size(), "every tensor belongs to the scope");
            check(d.get("weight"), DType.FLOAT32, new long[] {2, 3}, -0.5, -0.25, 0, 0.25, 0.5, 0.75);
            check(d.get("bias"), DType.FLOAT32, new long[] {2}, 0.25, -1.5);
            check(d.get("float64"), DType.FLOAT64, new long[] {10}, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5);
            check(d.get("view"), DType.FLOAT64, new long[] {3}, 1, 2.5, 4);
            check(d.get("transposed"), DType.FLOAT32, new long[] {4, 3}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
            check(
                    d.get("permuted"),
                    DType.INT32,
                    new long[] {4, 2, 3},
                    0,
                    4,
                    8,
                    12,
                    16,
                    20,
                    1,
                    5,
                    9,
                    13,
                    17,
                    21,
                    2,
                    6,
                    10,
                    14,
                    18,
                    22,
                    3,
                    7,
                    11,
                    15,
                    19,
                    23);
            check(d.get("expanded"), DType.FLOAT32, new long[] {3, 2}, 1.5, -2, 1.5, -2, 1.5, -2);
            assertEquals(DType.INT64, d.get("int64").dtype());
            assertArrayEquals(
                    new long[] {-(1L << 40), -1, 0, 7, 1L << 62}, d.get("int64").toLongArray());
            check(d.get("int8"), DType.INT8, new long[] {4}, -128, -1, 0, 127);
            check(d.get("uint8"), DType.UINT8, new long[] {3}, 0, 1, 255);
            check(d.get("bool"), DType.BOOL, new long[] {3}, 1, 0, 1);
            check(d.get("scalar"), DType.FLOAT32, new long[] {}, 3.5);
            check(d.get("empty"), DType.FLOAT32, new long[] {0, 3});
            check(d.get("param"), DType.FLOAT32, new long[] {2}, 1, 2);
            assertFalse(d.get("param").requiresGrad());
            d.values().forEach(t -> assertEquals(Device.CPU, t.device()));
        }
    }

    @Test
    void readsWhatLibTorchSaves() {
        Path file = dir.resolve("java.pt");
        try (Linear net = new Linear(3, 2);
                TensorScope s = TensorScope.open()) {
            StateDict.save(net, file);
            Map<String, Tensor> d = TorchZipReader.read(file);
            assertEquals(List.of("weight", "bias"), List.copyOf(d.keySet()));
            assertArrayEquals(
                    net.namedParameters().get("weight").toFloatArray(),
                    d.get("weight").toFloatArray());
            assertArrayEquals(
                    net.namedParameters().get("bias").toFloatArray(),
                    d.get("bias").toFloatArray());
            assertArrayEquals(new long[] {2, 3}, d.get("weight").shape());
        }
    }

    @Test
    void readsAPythonStateDictWithMetadata() throws Exception {
        assumeTrue(StateDictTest.pythonTorch(), "python3-torch is not installed");
        compareWithPython("""
                torch.manual_seed(3)
                net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.BatchNorm1d(3), nn.Linear(3, 2))
                d = net.state_dict()
                assert hasattr(d, '_metadata')
                """, 9);
    }

    @Test
    void readsAPythonPlainDictOfManyLayouts() throws Exception {
        assumeTrue(StateDictTest.pythonTorch(), "python3-torch is not installed");
        compareWithPython("""
                base = torch.arange(60, dtype=torch.float64).reshape(3, 4, 5) / 7
                d = {
                    'int64': torch.arange(-5, 5) * 3**30,
                    'float64': base,
                    'transposed': torch.arange(12.).reshape(3, 4).t(),
                    'strided': base[1:, ::2, 1::3],
                    'permuted': base.permute(2, 0, 1),
                    'column': base[:, :, 4],
                    'param': nn.Parameter(torch.linspace(-1, 1, 7)),
                    'int32': torch.arange(6, dtype=torch.int32).reshape(2, 3).t(),
                }
                """, 8);
    }

    @Test
    void rejectsPythonObjectsThatAreNotTensorsWithoutRunningThem() throws Exception {
        assumeTrue(StateDictTest.pythonTorch(), "python3-torch is not installed");
        Path marker = dir.resolve("ran");
        python(PRELUDE + """
                out = sys.argv[1]
                class E:
                    def __reduce__(self): return (os.system, ('touch ' + os.path.join(out, 'ran'),))
                torch.save({'f': os.system}, os.path.join(out, 'fn.pt'))
                torch.save(nn.Linear(2, 2), os.path.join(out, 'module.pt'))
                torch.save({'a': {'b': torch.ones(1)}}, os.path.join(out, 'nested.pt'))
                torch.save({'epoch': 3}, os.path.join(out, 'number.pt'))
                torch.save({'h': torch.ones(2, dtype=torch.float16)}, os.path.join(out, 'half.pt'))
                torch.save({'a': torch.ones(2)}, os.path.join(out, 'legacy.pt'), _use_new_zipfile_serialization=False)
                torch.save({'e': E()}, os.path.join(out, 'evil.pt'))
                """, dir);
        Path fn = dir.resolve("fn.pt");
        Path module = dir.resolve("module.pt");
        Path nested = dir.resolve("nested.pt");
        Path number = dir.resolve("number.pt");
        Path half = dir.resolve("half.pt");
        Path legacy = dir.resolve("legacy.pt");
        Path evil = dir.resolve("evil.pt");
        try (TensorScope s = TensorScope.open()) {
            assertRejected(fn, "unsupported object posix.system");
            assertRejected(module, "unsupported object torch.nn.modules.linear.Linear");
            assertRejected(nested, "entry 'a' is a dict, not a tensor");
            assertRejected(number, "entry 'epoch' is an int, not a tensor");
            assertRejected(half, "dtype float16");
            assertRejected(legacy, "legacy");
            assertRejected(evil, "unsupported object posix.system");
            assertFalse(Files.exists(marker));
            assertEquals(0, s.size(), "no tensors are left behind");
        }
    }

    // ---- hand-made files -----------------------------------------------------------------------

    @Test
    void rejectsForbiddenGlobalsWithoutRunningThem() throws IOException {
        Path marker = dir.resolve("ran");
        // pickle.dumps of os.system('touch <marker>') by reference, protocol 2 (GLOBAL) ...
        Pickle p2 = new Pickle()
                .proto(2)
                .global("os", "system")
                .str("touch " + marker)
                .op(0x85)
                .op('R')
                .op('.');
        assertRejected(zip("p2.pt", "p2", p2.bytes()), "unsupported object os.system");
        // ... and protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL)
        Pickle p4 = new Pickle()
                .proto(4)
                .op(0x95)
                .u64(0)
                .shortStr("builtins")
                .op(0x94)
                .shortStr("exec")
                .op(0x94)
                .op(0x93)
                .op(0x94)
                .shortStr("open('" + marker + "', 'w')")
                .op(0x85)
                .op('R')
                .op('.');
        assertRejected(zip("p4.pt", "p4", p4.bytes()), "unsupported object builtins.exec");
        assertFalse(Files.exists(marker));
    }

    @Test
    void rejectsTopLevelsThatAreNotDictsOfTensors() throws IOException {
        assertRejected(zip("list.pt", "a", new Pickle().proto(2).op(']').op('.').bytes()), "holds a list, not a dict");
        assertRejected(zip("none.pt", "a", new Pickle().proto(2).op('N').op('.').bytes()), "holds None");
        assertRejected(
                zip(
                        "intkey.pt",
                        "a",
                        new Pickle()
                                .proto(2)
                                .op('}')
                                .int1(1)
                                .tensor(0, 1, 1)
                                .op('s')
                                .op('.')
                                .bytes(),
                        "0",
                        new byte[4]),
                "key that is an int");
    }

    @Test
    void readsAHandMadeTensorAndChecksItsBounds() throws IOException {
        byte[] four = floats(1, 2, 3, 4);
        Path ok =
                zip("ok.pt", "x", dict(new Pickle().tensor(1, 2, 2), "t"), "0", four, "byteorder", "little".getBytes());
        try (TensorScope s = TensorScope.open()) {
            Map<String, Tensor> d = TorchZipReader.read(ok);
            check(d.get("t"), DType.FLOAT32, new long[] {2}, 2, 4); // elements 1 and 3
        }
        Path past = zip("past.pt", "x", dict(new Pickle().tensor(3, 2, 1), "t"), "0", four);
        assertRejected(past, "reaches past the 4 elements");
        Path missing = zip("missing.pt", "x", dict(new Pickle().tensor(0, 2, 1), "t"));
        assertRejected(missing, "lacks the data record 'x/data/0' of tensor 't'");
        Path big =
                zip("big.pt", "x", dict(new Pickle().tensor(0, 2, 1), "t"), "0", four, "byteorder", "big".getBytes());
        assertRejected(big, "byte order 'big'");
        Path cut = zip("cut.pt", "x", Arrays.copyOf(dict(new Pickle().tensor(0, 2, 1), "t"), 40), "0", four);
        assertRejected(cut, "data.pkl is truncated");
    }

    @Test
    void rejectsFilesThatAreNotZipCheckpoints() throws IOException {
        assertRejected(Files.writeString(dir.resolve("text.pt"), "not a checkpoint"), "not a PyTorch zip checkpoint");
        assertRejected(Files.write(dir.resolve("empty.pt"), new byte[0]), "is empty");
        assertRejected(Files.write(dir.resolve("legacy.pt"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10}), "legacy");
        byte[] whole = Files.readAllBytes(fixture());
        assertRejected(
                Files.write(dir.resolve("truncated.pt"), Arrays.copyOf(whole, whole.length / 2)),
                "damaged or truncated");
        assertRejected(
                Files.write(dir.resolve("tail.pt"), Arrays.copyOf(whole, whole.length - 10)), "damaged or truncated");
        Path other = dir.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(other))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes());
        }
        assertRejected(other, "not a PyTorch checkpoint");
        Path absent = dir.resolve("absent.pt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TorchZipReader.read(absent));
        assertTrue(
                e.getMessage().contains(absent.toString()) && e.getMessage().contains("no such file"), e.getMessage());
    }

    // ---- hostile files: memory follows what the file holds (HostileCheckpoints writes them) ---------

    @Test
    void refusesEveryHostileFileOrReadsItCorrectly() throws IOException {
        String saved = System.getProperty(ReadLimits.MAX_PICKLE_BYTES);
        System.setProperty(ReadLimits.MAX_PICKLE_BYTES, Long.toString(HostileCheckpoints.HUGE_PICKLE_LIMIT));
        try {
            for (HostileCheckpoints.Case c : HostileCheckpoints.CASES) {
                Path file = c.writer().write(dir);
                if (c.refusal() != null) {
                    assertMalformed(file, c.refusal());
                }
            }
        } finally {
            if (saved == null) {
                System.clearProperty(ReadLimits.MAX_PICKLE_BYTES);
            } else {
                System.setProperty(ReadLimits.MAX_PICKLE_BYTES, saved);
            }
        }
    }

    @Test
    void entriesViewingOneStorageShareIt() throws IOException {
        Path file = HostileCheckpoints.sharedViews(dir);
        try (TensorScope s = TensorScope.open()) {
            Map<String, Tensor> d = TorchZipReader.read(file);
            assertEquals(HostileCheckpoints.SHARED_ENTRIES, d.size());
            assertEquals(d.size(), s.size(), "only the entries are left in the scope");
            Tensor w7 = d.get("w7");
            assertArrayEquals(new long[] {HostileCheckpoints.SHARED_ELEMENTS - 16}, w7.shape());
            assertEquals(7.0, w7.narrow(0, 0, 1).item());
            assertEquals(
                    HostileCheckpoints.SHARED_ELEMENTS - 2,
                    d.get("w1999")
                            .narrow(0, HostileCheckpoints.SHARED_ELEMENTS - 17, 1)
                            .item());
            // One storage in memory, as after torch.load: a change through one entry shows in the others.
            d.get("w0").narrow(0, 7, 1).addInPlace(Tensor.of(new float[] {100f}, 1));
            assertEquals(107.0, w7.narrow(0, 0, 1).item());
            assertEquals(107.0, d.get("w3").narrow(0, 4, 1).item());
        }
    }

    @Test
    void pythonsSharedStoragesStaySharedAndItsHugeExpansionsAreRefused() throws Exception {
        assumeTrue(StateDictTest.pythonTorch(), "python3-torch is not installed");
        python(PRELUDE + """
                out = sys.argv[1]
                base = torch.arange(10.)
                torch.save({'a': base, 'b': base[1:], 'c': base.view(2, 5)}, os.path.join(out, 'shared.pt'))
                torch.save({'e': torch.ones(1).expand(2**28)}, os.path.join(out, 'expanded.pt'))
                """, dir);
        try (TensorScope s = TensorScope.open()) {
            Map<String, Tensor> d = TorchZipReader.read(dir.resolve("shared.pt"));
            d.get("a").addInPlace(Tensor.of(new float[] {100f}, 1)); // through one entry ...
            check(
                    d.get("b"),
                    DType.FLOAT32,
                    new long[] {9},
                    101,
                    102,
                    103,
                    104,
                    105,
                    106,
                    107,
                    108,
                    109); // ... seen in all
            check(d.get("c"), DType.FLOAT32, new long[] {2, 5}, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109);
        }
        assertMalformed(dir.resolve("expanded.pt"), "is a view that must be copied");
    }

    @Test
    void transposedAndPermutedEntriesAreViewsToo() throws IOException {
        Path file = HostileCheckpoints.transposedViews(dir);
        try (TensorScope s = TensorScope.open()) {
            Map<String, Tensor> d = TorchZipReader.read(file);
            assertEquals(HostileCheckpoints.SHARED_ENTRIES, d.size());
            Tensor t0 = d.get("t0");
            assertArrayEquals(new long[] {512, 512}, t0.shape());
            assertEquals(512.0, t0.narrow(0, 0, 1).narrow(1, 1, 1).item()); // t0[0][1] is storage element 512
            assertEquals(1.0, t0.narrow(0, 1, 1).narrow(1, 0, 1).item());
            d.get("t1").narrow(0, 1, 1).narrow(1, 0, 1).addInPlace(Tensor.of(new float[] {100f}, 1, 1));
            assertEquals(101.0, d.get("t1999").narrow(0, 1, 1).narrow(1, 0, 1).item(), "one storage for all");
        }
        // A 3-d permutation (the fixture's 'permuted' checks the values) and a transpose with size-1 dimensions.
        Path permuted = HostileCheckpoints.zip(
                dir.resolve("p.pt"),
                new HostileCheckpoints.Pickle()
                        .dictOf(1, i -> "p", i -> new long[] {2}, new long[] {1, 3, 2, 1}, new long[] {99, 1, 3, 7})
                        .bytes(),
                HostileCheckpoints.floats(8, 0),
                false);
        try (TensorScope s = TensorScope.open()) {
            check(TorchZipReader.read(permuted).get("p"), DType.FLOAT32, new long[] {1, 3, 2, 1}, 2, 5, 3, 6, 4, 7);
        }
    }

    @Test
    void readsARecordOnlyAsFarAsItsTensorsReach() throws IOException {
        Path file = HostileCheckpoints.oversizedRecord(dir);
        try (TensorScope s = TensorScope.open()) {
            check(TorchZipReader.read(file).get("small"), DType.FLOAT32, new long[] {2, 2}, 1, 2, 3, 4);
        }
    }

    @Test
    void refusesExpansionsBeyondTheAllowanceButReadsSmallOnes() throws IOException {
        // 2 stored floats expanded to 3x2 (stride 0) is within the allowance ...
        Path ok = HostileCheckpoints.zip(
                dir.resolve("expand-ok.pt"),
                new HostileCheckpoints.Pickle()
                        .dictOf(1, i -> "e", i -> new long[] {0}, new long[] {3, 2}, new long[] {0, 1})
                        .bytes(),
                HostileCheckpoints.floats(2, 1.5f),
                false);
        try (TensorScope s = TensorScope.open()) {
            check(TorchZipReader.read(ok).get("e"), DType.FLOAT32, new long[] {3, 2}, 1.5, 2.5, 1.5, 2.5, 1.5, 2.5);
        }
        // ... a stride-0 view of 2^28 elements is not, nor 2000 copies of every other element of one storage.
        assertMalformed(HostileCheckpoints.expanded(dir), "raise -Dtorchffm.checkpoint.copyAllowanceBytes");
        assertMalformed(HostileCheckpoints.stridedViews(dir), "is a view that must be copied");
        String saved = System.getProperty(ReadLimits.COPY_ALLOWANCE_BYTES);
        System.setProperty(ReadLimits.COPY_ALLOWANCE_BYTES, "0");
        try {
            Path file = HostileCheckpoints.zip(
                    dir.resolve("t1.pt"),
                    new HostileCheckpoints.Pickle()
                            .dictOf(1, i -> "t", i -> new long[] {1}, new long[] {2}, new long[] {2})
                            .bytes(),
                    HostileCheckpoints.floats(4, 0),
                    false);
            try (TensorScope s = TensorScope.open()) {
                check(
                        TorchZipReader.read(file).get("t"),
                        DType.FLOAT32,
                        new long[] {2},
                        1,
                        3); // one copy fits the data
            }
        } finally {
            if (saved == null) {
                System.clearProperty(ReadLimits.COPY_ALLOWANCE_BYTES);
            } else {
                System.setProperty(ReadLimits.COPY_ALLOWANCE_BYTES, saved);
            }
        }
    }

    @Test
    void refusesPicklesOverTheLimitAndBadLimits() throws IOException {
        Path file = HostileCheckpoints.hugePickle(dir);
        String saved = System.getProperty(ReadLimits.MAX_PICKLE_BYTES);
        try {
            System.setProperty(ReadLimits.MAX_PICKLE_BYTES, "1000");
            assertMalformed(file, "more than the limit of 1000 bytes");
            System.setProperty(ReadLimits.MAX_PICKLE_BYTES, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchZipReader.read(file));
            assertTrue(e.getMessage().contains(ReadLimits.MAX_PICKLE_BYTES + "=lots"), e.getMessage());
            System.setProperty(ReadLimits.MAX_PICKLE_BYTES, Long.toString(16 << 20));
            try (TensorScope s = TensorScope.open()) {
                assertEquals(1, TorchZipReader.read(file).size()); // under a raised limit it reads
            }
        } finally {
            if (saved == null) {
                System.clearProperty(ReadLimits.MAX_PICKLE_BYTES);
            } else {
                System.setProperty(ReadLimits.MAX_PICKLE_BYTES, saved);
            }
        }
        assertMalformed(HostileCheckpoints.pickleBomb(dir), "builds more values than");
    }

    @Test
    void refusesKeysAndStringsThatAreNotUtf8() throws IOException {
        assertMalformed(HostileCheckpoints.nonUtf8Key(dir), "not valid UTF-8");
        // A lone surrogate encoded in UTF-8 (ED A0 80) and a truncated sequence are refused as Python refuses them.
        for (byte[] bad : new byte[][] {{(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {'a', (byte) 0xc3}}) {
            Pickle p = new Pickle().proto(2).op('}').op(0x8c).op(bad.length);
            p.out.writeBytes(bad);
            byte[] t = new Pickle().tensor(0, 1, 1).bytes();
            p.out.writeBytes(t);
            assertMalformed(
                    zip("bad" + bad.length + ".pt", "x", p.op('s').op('.').bytes(), "0", floats(1, 2, 3, 4)),
                    "not valid UTF-8");
        }
    }

    @Test
    void refusesRecordsThatHoldLessThanTheirZipHeaderClaims() throws IOException {
        assertMalformed(HostileCheckpoints.lyingZipHeader(dir), "is truncated");
        assertMalformed(HostileCheckpoints.overflow(dir), "overflows 64 bits");
        Path emptyButHuge = HostileCheckpoints.zip(
                dir.resolve("empty-huge.pt"),
                new HostileCheckpoints.Pickle()
                        .dictOf(1, i -> "e", i -> new long[] {0}, new long[] {0, 1L << 62, 4}, new long[] {1, 1, 1})
                        .bytes(),
                null,
                false);
        assertMalformed(emptyButHuge, "overflows 64 bits");
        // A record that is really short for its tensor: refused after reading what is there.
        Path shortRecord = zip("short.pt", "x", dict(new Pickle().tensor(0, 4, 1), "t"), "0", new byte[10]);
        assertMalformed(shortRecord, "reaches past the 2 elements");
    }

    private void assertMalformed(Path file, String what) {
        try (TensorScope s = TensorScope.open()) {
            dev.torchffm.MalformedFileException e =
                    assertThrows(dev.torchffm.MalformedFileException.class, () -> TorchZipReader.read(file));
            assertEquals(file, e.file());
            assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
            assertTrue(e.getMessage().contains(what), "says '" + what + "': " + e.getMessage());
            assertEquals(0, s.size(), "no tensors are left behind");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Path fixture() throws IOException {
        var url = TorchZipReaderTest.class.getResource("/checkpoints/mixed.pt");
        assertTrue(url != null, "missing test resource checkpoints/mixed.pt (src/test/python/gen_checkpoints.py)");
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static void check(Tensor t, DType dtype, long[] shape, double... values) {
        assertEquals(dtype, t.dtype());
        assertArrayEquals(shape, t.shape());
        assertArrayEquals(values, doubles(t));
    }

    private static double[] doubles(Tensor t) {
        return switch (t.dtype()) {
            case FLOAT32 -> {
                float[] f = t.toFloatArray();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                yield d;
            }
            case FLOAT64 -> t.toDoubleArray();
            case INT64 -> Arrays.stream(t.toLongArray()).asDoubleStream().toArray();
            case INT32 -> Arrays.stream(t.toIntArray()).asDoubleStream().toArray();
            case UINT8 -> bytes(t.toByteArray(), true);
            case INT8, BOOL -> bytes(t.toByteArray(), false);
        };
    }

    private static double[] bytes(byte[] b, boolean unsigned) {
        double[] d = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            d[i] = unsigned ? b[i] & 0xff : b[i];
        }
        return d;
    }

    private void assertRejected(Path file, String what) {
        try (TensorScope s = TensorScope.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchZipReader.read(file));
            assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
            assertTrue(e.getMessage().contains(what), "says '" + what + "': " + e.getMessage());
            assertEquals(0, s.size(), "no tensors are left behind");
        }
    }

    /**
     * Saves Python's {@code d} (defined by {@code script}) with torch.save to {@code name}; then
     * reads it here and compares every tensor's shape and values with what Python prints.
     */
    private void compareWithPython(String script, int expectedEntries) throws Exception {
        Path file = dir.resolve("py.pt");
        String out = python(PRELUDE + script + """
                torch.save(d, sys.argv[1])
                for k, v in d.items():
                    print(k, str(v.dtype)[6:], ','.join(str(n) for n in v.shape), ' '.join(repr(x) for x in v.flatten().tolist()))
                """, file);
        List<String> lines = out.lines().toList();
        try (TensorScope s = TensorScope.open()) {
            LinkedHashMap<String, Tensor> d = StateDict.read(file);
            assertEquals(expectedEntries, lines.size(), out);
            assertEquals(lines.stream().map(l -> l.split(" ")[0]).toList(), List.copyOf(d.keySet()));
            for (String line : lines) {
                String[] f = line.split(" ", 4);
                Tensor t = d.get(f[0]);
                assertEquals(f[1], t.dtype().toString(), f[0]);
                long[] shape = f[2].isEmpty()
                        ? new long[0]
                        : Arrays.stream(f[2].split(","))
                                .mapToLong(Long::parseLong)
                                .toArray();
                assertArrayEquals(shape, t.shape(), f[0]);
                String[] v = f.length < 4 || f[3].isEmpty() ? new String[0] : f[3].split(" ");
                if (t.dtype() == DType.INT64) {
                    assertArrayEquals(
                            Arrays.stream(v).mapToLong(Long::parseLong).toArray(), t.toLongArray(), f[0]);
                } else {
                    assertArrayEquals(
                            Arrays.stream(v).mapToDouble(Double::parseDouble).toArray(), doubles(t), f[0]);
                }
            }
        }
    }

    private static final String PRELUDE = """
            import os, sys, torch
            from torch import nn
            """;

    private static String python(String script, Path arg) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, arg.toString())
                .redirectErrorStream(true)
                .start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), () -> "python failed:\n" + out);
        return out;
    }

    /** A zip with {@code <prefix>/data.pkl} and then pairs of (record name under prefix, bytes). */
    private Path zip(String name, String prefix, byte[] pickle, Object... records) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry(prefix + "/data.pkl"));
            z.write(pickle);
            for (int i = 0; i < records.length; i += 2) {
                String record = (String) records[i];
                z.putNextEntry(new ZipEntry(prefix + "/" + (record.equals("byteorder") ? "" : "data/") + record));
                z.write((byte[]) records[i + 1]);
            }
        }
        return file;
    }

    /** A pickle of {'key': the tensor already in p}. */
    private static byte[] dict(Pickle tensor, String key) {
        byte[] t = tensor.bytes();
        Pickle p = new Pickle().proto(2).op('}').str(key);
        p.out.write(t, 0, t.length);
        return p.op('s').op('.').bytes();
    }

    private static byte[] floats(float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Writes pickle opcodes by hand. */
    private static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle proto(int v) {
            return op(0x80).op(v);
        }

        Pickle int1(int v) {
            return op('K').op(v);
        }

        Pickle u64(long v) {
            for (int i = 0; i < 8; i++) {
                op((int) (v >>> (8 * i)) & 0xff);
            }
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').op(b.length & 0xff)
                    .op(b.length >>> 8 & 0xff)
                    .op(b.length >>> 16 & 0xff)
                    .op(b.length >>> 24);
            out.writeBytes(b);
            return this;
        }

        Pickle shortStr(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op(0x8c).op(b.length);
            out.writeBytes(b);
            return this;
        }

        /** _rebuild_tensor_v2 of a 1-d float32 tensor on storage '0' (of 4 elements). */
        Pickle tensor(int offset, int size, int stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').str("storage")
                    .global("torch", "FloatStorage")
                    .str("0")
                    .str("cpu")
                    .int1(4)
                    .op('t')
                    .op('Q');
            int1(offset).int1(size).op(0x85).int1(stride).op(0x85).op(0x89);
            global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static {
        Torch.version(); // load the shim before the first test
    }
}
