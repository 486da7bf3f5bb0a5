package dev.torchffm.serialize;

/**
 * The pickle opcodes torchffm reads and writes (protocols 2 to 5), named once for both
 * {@link Unpickler} and {@link PickleWriter}. The names and codes are Python's ({@code pickletools}).
 */
enum PickleOp {
    PROTO(0x80),
    FRAME(0x95),
    STOP('.'),
    MARK('('),
    POP('0'),
    POP_MARK('1'),
    DUP('2'),
    GLOBAL('c'),
    STACK_GLOBAL(0x93),
    BINPUT('q'),
    LONG_BINPUT('r'),
    MEMOIZE(0x94),
    BINGET('h'),
    LONG_BINGET('j'),
    EMPTY_TUPLE(')'),
    TUPLE('t'),
    TUPLE1(0x85),
    TUPLE2(0x86),
    TUPLE3(0x87),
    EMPTY_LIST(']'),
    LIST('l'),
    APPEND('a'),
    APPENDS('e'),
    EMPTY_DICT('}'),
    DICT('d'),
    SETITEM('s'),
    SETITEMS('u'),
    BINUNICODE('X'),
    SHORT_BINUNICODE(0x8c),
    BINUNICODE8(0x8d),
    SHORT_BINSTRING('U'),
    BINSTRING('T'),
    SHORT_BINBYTES('C'),
    BINBYTES('B'),
    BINBYTES8(0x8e),
    BININT('J'),
    BININT1('K'),
    BININT2('M'),
    LONG1(0x8a),
    LONG4(0x8b),
    NEWTRUE(0x88),
    NEWFALSE(0x89),
    NONE('N'),
    BINFLOAT('G'),
    REDUCE('R'),
    NEWOBJ(0x81),
    BINPERSID('Q'),
    BUILD('b');

    /** The byte that stands for this opcode in a pickle. */
    final int code;

    private static final PickleOp[] BY_CODE = new PickleOp[256];

    static {
        for (PickleOp op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    PickleOp(int code) {
        this.code = code;
    }

    /** The opcode of {@code code} (0..255), or null for one torchffm does not know. */
    static PickleOp of(int code) {
        return BY_CODE[code];
    }
}
