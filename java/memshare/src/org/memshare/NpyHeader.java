package org.memshare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a numpy {@code .npy} file (numpy's {@code lib.format}, versions 1.0, 2.0 and
 * 3.0): the element type, byte order, memory order and shape of the array, and where its data
 * start. The one reader of these headers for the command line's {@code --npy} and Spark's
 * {@code HostMatrix.fromFile}; what each then does with the data is its own.
 *
 * <p>The format: the magic {@code \x93NUMPY}, a major and a minor version byte, the header's
 * length (version 1: 2 bytes, versions 2 and 3: 4 bytes, little-endian), the header, then the
 * data. The header is a Python dict literal with exactly the keys {@code descr},
 * {@code fortran_order} and {@code shape}, in ISO-8859-1 (versions 1 and 2) or UTF-8 (version 3).
 * Read are the plain numeric types float64, float32, int64, int32, int16, int8, uint8 and uint16,
 * little- or big-endian; not object arrays (pickles), structured or complex types.
 */
public final class NpyHeader {
    /** What {@link #read} accepts, for the error messages. */
    public static final String SUPPORTED = "float64, float32, int64, int32, int16, int8, uint8 and uint16 "
            + "(not object arrays, structured or complex types)";
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([fiu])(\\d+)");

    private final int version;
    private final char kind;
    private final int itemSize;
    private final ByteOrder order;
    private final boolean fortranOrder;
    private final long[] shape;
    private final long dataOffset;

    private NpyHeader(int version, char kind, int itemSize, ByteOrder order, boolean fortranOrder, long[] shape, long dataOffset) {
        this.version = version;
        this.kind = kind;
        this.itemSize = itemSize;
        this.order = order;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataOffset = dataOffset;
    }

    /**
     * Reads the header of {@code file} and checks that the file holds all the data it announces.
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong: not a .npy
     *                                  file, an unknown version, a malformed header, an element
     *                                  type not read, or a truncated file
     * @throws IOException              if the file cannot be read
     */
    public static NpyHeader read(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lead = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (lead.hasRemaining() && in.read(lead) >= 0) { /* read on */ }
            for (int i = 0; i < MAGIC.length; i++)
                if (lead.position() <= i || lead.get(i) != MAGIC[i])
                    throw fail(file, "is not a numpy .npy file (it does not start with \\x93NUMPY)");
            int major = lead.position() > 6 ? lead.get(6) & 0xff : -1, minor = lead.position() > 7 ? lead.get(7) & 0xff : -1;
            if (major < 1 || major > 3 || minor != 0)
                throw fail(file, "is a .npy file of format version " + major + "." + minor + "; memshare reads versions 1.0, 2.0 and 3.0");
            int start = major == 1 ? 10 : 12;
            if (lead.position() < start) throw fail(file, "is truncated: it ends inside its .npy preamble");
            long length = major == 1 ? lead.getShort(8) & 0xffff : lead.getInt(8) & 0xffffffffL;
            if (length > MAX_HEADER) throw fail(file, "its .npy header claims " + length + " bytes (at most " + MAX_HEADER + " are read)");
            if (start + length > in.size()) throw fail(file, "is truncated: it ends inside its .npy header of " + length + " bytes");
            ByteBuffer text = ByteBuffer.allocate((int) length);
            while (text.hasRemaining() && in.read(text, start + text.position()) >= 0) { /* read on */ }
            String dict = new String(text.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            NpyHeader h = parse(file, major, dict, start + length);
            long needed = Math.addExact(h.dataOffset, Math.multiplyExact(h.count(), h.itemSize));
            if (in.size() < needed)
                throw fail(file, "is truncated: shape " + h.shapeText() + " of " + h.dtype() + " needs " + needed + " bytes, the file has "
                        + in.size());
            return h;
        } catch (ArithmeticException e) {
            throw fail(file, "its shape is too large");
        }
    }

    private static NpyHeader parse(Path file, int version, String dict, long dataOffset) {
        Map<String, Literal.Value> d;
        try {
            d = new Literal(dict).dict();
        } catch (IllegalArgumentException e) {
            String text = dict.strip();  // shown up to a line's worth: a hostile header may be megabytes
            throw fail(file, "its .npy header is not a Python dict literal (" + e.getMessage() + "): "
                    + (text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " characters)"));
        }
        if (!d.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape")))
            throw fail(file, "its .npy header has the keys " + d.keySet() + ", not exactly descr, fortran_order and shape");
        Literal.Value descr = d.get("descr");
        Matcher m = descr.value instanceof String ? DESCR.matcher((String) descr.value) : null;
        String shown = descr.value instanceof String ? "'" + descr.value + "'" : descr.text;
        if (m == null || !m.matches()) throw fail(file, "holds dtype " + shown + "; memshare reads " + SUPPORTED);
        char kind = m.group(2).charAt(0);
        int size = Integer.parseInt(m.group(3));
        boolean supported = kind == 'f' && (size == 8 || size == 4) || kind == 'i' && (size == 8 || size == 4 || size == 2 || size == 1)
                || kind == 'u' && (size == 1 || size == 2);
        if (!supported) throw fail(file, "holds dtype " + shown + "; memshare reads " + SUPPORTED);
        String o = m.group(1);
        if (o.equals("|") && size > 1) throw fail(file, "holds dtype " + shown + ", which has no byte order");
        ByteOrder order = o.equals(">") ? ByteOrder.BIG_ENDIAN : o.equals("<") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
        if (!(d.get("fortran_order").value instanceof Boolean))
            throw fail(file, "its .npy header's fortran_order is " + d.get("fortran_order").text + ", not True or False");
        Object s = d.get("shape").value;
        if (!(s instanceof List) || !d.get("shape").tuple) throw fail(file, "its .npy header's shape is " + d.get("shape").text + ", not a tuple");
        List<?> dims = (List<?>) s;
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            Object v = ((Literal.Value) dims.get(i)).value;
            if (!(v instanceof Long) || (Long) v < 0) throw fail(file, "its .npy header's shape " + d.get("shape").text + " is not of sizes");
            shape[i] = (Long) v;
        }
        return new NpyHeader(version, kind, size, order, (Boolean) d.get("fortran_order").value, shape, dataOffset);
    }

    private static IllegalArgumentException fail(Path file, String what) {
        return new IllegalArgumentException(file + " " + what);
    }

    /** The format version: 1, 2 or 3. */
    public int version() {
        return version;
    }

    /** numpy's kind character: {@code 'f'} float, {@code 'i'} signed or {@code 'u'} unsigned integer. */
    public char kind() {
        return kind;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The byte order of the elements. */
    public ByteOrder order() {
        return order;
    }

    /** True for Fortran order (column-major, as memshare's matrices), false for C order (row-major). */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** The shape, e.g. {@code [40, 3]}; a copy. */
    public long[] shape() {
        return shape.clone();
    }

    /** Where the data start in the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The number of elements: the product of the shape. */
    public long count() {
        long c = 1;
        for (long d : shape) c = Math.multiplyExact(c, d);
        return c;
    }

    /** The dtype as numpy writes it with an explicit order, e.g. {@code <f8} or {@code >i4}. */
    public String dtype() {
        return (order == ByteOrder.BIG_ENDIAN ? ">" : "<") + kind + itemSize;
    }

    /** The shape as Python prints it: {@code (40, 3)}, {@code (40,)}, {@code ()}. */
    public String shapeText() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) b.append(i > 0 ? ", " : "").append(shape[i]);
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Element {@code i} (counted in elements from the buffer's start) of data read from this
     * file into {@code b}, whose order must be {@link #order()}, as a double.
     */
    public double get(ByteBuffer b, int i) {
        int at = i * itemSize;
        switch (kind) {
            case 'f': return itemSize == 8 ? b.getDouble(at) : b.getFloat(at);
            case 'i': return itemSize == 8 ? b.getLong(at) : itemSize == 4 ? b.getInt(at) : itemSize == 2 ? b.getShort(at) : b.get(at);
            default: return itemSize == 1 ? b.get(at) & 0xff : b.getShort(at) & 0xffff;   // 'u'
        }
    }

    /** The Python literals a .npy header holds: dicts, tuples, lists, strings, integers, True, False, None. */
    private static final class Literal {
        /** A parsed value and its source text (for messages). */
        static final class Value {
            final Object value;   // String, Long, Boolean, List<Value>, Map<String, Value> or null (None)
            final String text;
            final boolean tuple;

            Value(Object value, String text, boolean tuple) {
                this.value = value;
                this.text = text;
                this.tuple = tuple;
            }
        }

        private final String s;
        /** Deeper than any dtype numpy writes; a deeper header is hostile and would overflow the stack. */
        private static final int MAX_DEPTH = 32;
        private int at;
        private int depth;

        Literal(String s) {
            this.s = s;
        }

        @SuppressWarnings("unchecked")
        Map<String, Value> dict() {
            Value v = value();
            skipSpace();
            if (at != s.length()) throw new IllegalArgumentException("text after the dict at character " + at);
            if (!(v.value instanceof Map)) throw new IllegalArgumentException("it is not a dict");
            return (Map<String, Value>) v.value;
        }

        private Value value() {
            skipSpace();
            if (at >= s.length()) throw new IllegalArgumentException("it ends early");
            int from = at;
            char c = s.charAt(at);
            Object v;
            if (c == '{' || c == '(' || c == '[') {
                if (++depth > MAX_DEPTH) throw new IllegalArgumentException("brackets nested more than " + MAX_DEPTH + " deep at character " + at);
                v = c == '{' ? dictBody() : listBody(c == '(' ? ')' : ']');
                depth--;
            } else if (c == '\'' || c == '"') {
                v = string(c);
            } else {
                Matcher m = Pattern.compile("-?\\d+L?|True|False|None").matcher(s).region(at, s.length());
                if (!m.lookingAt()) throw new IllegalArgumentException("unexpected '" + c + "' at character " + at);
                at = m.end();
                String t = m.group();
                v = t.equals("True") ? Boolean.TRUE : t.equals("False") ? Boolean.FALSE : t.equals("None") ? null
                        : Long.valueOf(t.replace("L", ""));
            }
            return new Value(v, s.substring(from, at), c == '(');
        }

        private Map<String, Value> dictBody() {
            Map<String, Value> map = new LinkedHashMap<>();
            items('}', () -> {
                Value k = value();
                if (!(k.value instanceof String)) throw new IllegalArgumentException("a key that is not a string: " + k.text);
                skipSpace();
                expect(':');
                map.put((String) k.value, value());
            });
            return map;
        }

        private List<Value> listBody(char close) {
            List<Value> list = new ArrayList<>();
            items(close, () -> list.add(value()));
            return list;
        }

        /** From the opening bracket at {@code at} to {@code close}: items read by {@code item}, separated by commas (a trailing one allowed). */
        private void items(char close, Runnable item) {
            at++;
            while (true) {
                skipSpace();
                if (at < s.length() && s.charAt(at) == close) break;
                item.run();
                skipSpace();
                if (at < s.length() && s.charAt(at) == ',') at++;
                else if (at >= s.length() || s.charAt(at) != close)
                    throw new IllegalArgumentException("expected ',' or '" + close + "' at character " + at);
            }
            at++;
        }

        private String string(char quote) {
            StringBuilder b = new StringBuilder();
            at++;
            while (at < s.length() && s.charAt(at) != quote) {
                char c = s.charAt(at++);
                if (c == '\\' && at < s.length()) c = s.charAt(at++);
                b.append(c);
            }
            expect(quote);
            return b.toString();
        }

        private void expect(char c) {
            if (at >= s.length() || s.charAt(at) != c) throw new IllegalArgumentException("expected '" + c + "' at character " + at);
            at++;
        }

        private void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
        }
    }
}
