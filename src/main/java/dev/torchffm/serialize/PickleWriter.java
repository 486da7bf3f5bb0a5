package dev.torchffm.serialize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the few pickle opcodes (protocol 2) that a state_dict needs. */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter op(PickleOp op) {
        out.write(op.code);
        return this;
    }

    PickleWriter proto() {
        op(PickleOp.PROTO);
        out.write(2);
        return this;
    }

    PickleWriter global(String module, String name) {
        op(PickleOp.GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleWriter bool(boolean b) {
        return op(b ? PickleOp.NEWTRUE : PickleOp.NEWFALSE);
    }

    /** BINUNICODE: a 4-byte little-endian length, then UTF-8. */
    PickleWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(PickleOp.BINUNICODE);
        int32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** BININT (4-byte signed little-endian) when it fits, else LONG1 with 8 bytes of two's complement. */
    PickleWriter integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op(PickleOp.BININT);
            int32((int) v);
        } else {
            op(PickleOp.LONG1);
            out.write(8);
            for (int k = 0; k < 8; k++) {
                out.write((int) (v >>> (8 * k)));
            }
        }
        return this;
    }

    /** A tuple of ints. */
    PickleWriter longs(long[] values) {
        op(PickleOp.MARK);
        for (long v : values) {
            integer(v);
        }
        return op(PickleOp.TUPLE);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void int32(int n) {
        out.write(n);
        out.write(n >>> 8);
        out.write(n >>> 16);
        out.write(n >>> 24);
    }
}
