package dev.torchffm.serialize;

import dev.torchffm.MalformedFileException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** The bytes of a checkpoint's {@code data.pkl}, read front to back with every length checked. */
final class PickleInput {
    private final Path file;
    private final byte[] in;
    private int pos;

    PickleInput(Path file, byte[] in) {
        this.file = file;
        this.in = in;
    }

    int position() {
        return pos;
    }

    int length() {
        return in.length;
    }

    int u8() {
        need(1);
        return in[pos++] & 0xff;
    }

    void skip(int n) {
        need(n);
        pos += n;
    }

    int s32() {
        need(4);
        int v = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8 | (in[pos + 2] & 0xff) << 16 | in[pos + 3] << 24;
        pos += 4;
        return v;
    }

    long u32() {
        return s32() & 0xffffffffL;
    }

    long s64() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (in[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    long bigEndianLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (in[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    /** A length {@code n} read from the pickle, checked against what is left of it. */
    int length(long n, int at) {
        if (n < 0) {
            throw malformed("negative length " + n, at);
        }
        need(n);
        return (int) n;
    }

    /** A little-endian two's complement integer of {@code n} bytes (LONG1, LONG4), at most 8 bytes. */
    long littleEndianInt(int n, int at) {
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

    /** {@code n} bytes of UTF-8; invalid UTF-8 is refused, as Python's unpickler refuses it. */
    String utf8(int n, int at) {
        need(n);
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, pos, n))
                    .toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw malformed("a str of " + n + " bytes that is not valid UTF-8", at);
        }
    }

    byte[] bytes(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    /** The text up to the next newline (GLOBAL's module and name). */
    String line(int at) {
        int end = pos;
        while (end < in.length && in[end] != '\n') {
            end++;
        }
        if (end == in.length) {
            throw new MalformedFileException(file, "data.pkl is truncated (unterminated GLOBAL at byte " + pos + ")");
        }
        String s = utf8(end - pos, at);
        pos++; // the newline
        return s;
    }

    private void need(long n) {
        if (n > in.length - pos) {
            throw new MalformedFileException(
                    file, "data.pkl is truncated (needs " + n + " bytes at byte " + pos + " of " + in.length + ")");
        }
    }

    MalformedFileException malformed(String what, int at) {
        return new MalformedFileException(file, "malformed data.pkl: " + what + " at byte " + at);
    }

    MalformedFileException unsupported(String what, int at) {
        return new MalformedFileException(
                file,
                "unsupported " + what + " at byte " + at + " of data.pkl; torchffm reads only dicts of str to tensor");
    }
}
