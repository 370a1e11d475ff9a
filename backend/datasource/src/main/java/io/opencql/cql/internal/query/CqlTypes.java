package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.CustomType;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.VectorType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every CQL type, what frame field type it becomes and how its value gets there: one table, read once per
 * query to build one {@link ColumnReader} per result column. Readers decode the driver's raw cell bytes
 * ({@link Row#getBytesUnsafe}) straight into the field's Arrow vector: no codec lookup, no boxing, no per-row
 * objects for the common types.
 *
 * <table>
 *   <caption>CQL → field</caption>
 *   <tr><td>ascii, text, varchar</td><td>string</td></tr>
 *   <tr><td>tinyint, smallint, int, bigint, counter</td><td>int8, int16, int32, int64, int64</td></tr>
 *   <tr><td>float, double</td><td>float32, float64</td></tr>
 *   <tr><td>decimal, varint</td><td>float64 (nearest double)</td></tr>
 *   <tr><td>boolean</td><td>bool</td></tr>
 *   <tr><td>timestamp</td><td>time (ns)</td></tr>
 *   <tr><td>date</td><td>time (UTC midnight)</td></tr>
 *   <tr><td>time</td><td>string {@code HH:mm:ss.nnnnnnnnn}</td></tr>
 *   <tr><td>duration</td><td>string, CQL duration text such as {@code 1mo2d3h4m5s6ms7us8ns}</td></tr>
 *   <tr><td>uuid, timeuuid, inet</td><td>string</td></tr>
 *   <tr><td>blob (and unknown custom types)</td><td>string {@code 0x…} (lowercase hex)</td></tr>
 *   <tr><td>list, set, vector, tuple</td><td>JSON array</td></tr>
 *   <tr><td>map, UDT</td><td>JSON object (map keys that are not text are written as their JSON text in a
 *       string, as Cassandra's own {@code SELECT JSON} does: {@code {"1":"a"}}; UDT keys are field names)</td></tr>
 * </table>
 *
 * <p>Every field is nullable and a CQL null stays null. An empty value of a fixed-size type (legal in CQL) is
 * null too. Inside JSON, numbers are JSON numbers (decimal and varint exact), NaN/±Infinity the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, timestamps ISO-8601 UTC strings, dates
 * {@code "yyyy-MM-dd"}, and the other types the strings of the table above. A timestamp or date outside what
 * Grafana's nanosecond times hold (years 1677–2262) becomes null and is counted, so the reader can say so.
 */
final class CqlTypes {

    private CqlTypes() {
    }

    /** Appends one non-null value, given as {@code len} bytes at {@code off} of {@code buf} (positions untouched). */
    @FunctionalInterface
    interface ValueReader {
        void append(ByteBuffer buf, int off, int len, Field out, ColumnReader col);
    }

    /** Writes one non-null value (bytes at {@code off}, {@code len} long) as JSON. */
    @FunctionalInterface
    interface JsonWriter {
        void write(ByteBuffer buf, int off, int len, JsonOut out);
    }

    /** One row of the table: a CQL type with no parameters. */
    record Scalar(int code, String cql, FieldType fieldType, boolean emptyIsNull, ValueReader column, JsonWriter json) {
    }

    // protocol type codes (native protocol spec, section 6)
    static final int CUSTOM = 0x00, ASCII = 0x01, BIGINT = 0x02, BLOB = 0x03, BOOLEAN = 0x04, COUNTER = 0x05, DECIMAL = 0x06,
            DOUBLE = 0x07, FLOAT = 0x08, INT = 0x09, TIMESTAMP = 0x0B, UUID = 0x0C, VARCHAR = 0x0D, VARINT = 0x0E, TIMEUUID = 0x0F,
            INET = 0x10, DATE = 0x11, TIME = 0x12, SMALLINT = 0x13, TINYINT = 0x14, DURATION = 0x15,
            LIST = 0x20, MAP = 0x21, SET = 0x22, UDT = 0x30, TUPLE = 0x31;

    static final List<Scalar> SCALARS = List.of(
            new Scalar(ASCII, "ascii", FieldType.STRING, false, CqlTypes::utf8, (b, o, n, j) -> j.string(b, o, n)),
            new Scalar(VARCHAR, "text", FieldType.STRING, false, CqlTypes::utf8, (b, o, n, j) -> j.string(b, o, n)),
            new Scalar(TINYINT, "tinyint", FieldType.INT8, true, (b, o, n, f, c) -> f.appendLong(b.get(o)), (b, o, n, j) -> j.number(b.get(o))),
            new Scalar(SMALLINT, "smallint", FieldType.INT16, true, (b, o, n, f, c) -> f.appendLong(b.getShort(o)),
                    (b, o, n, j) -> j.number(b.getShort(o))),
            new Scalar(INT, "int", FieldType.INT32, true, (b, o, n, f, c) -> f.appendLong(b.getInt(o)), (b, o, n, j) -> j.number(b.getInt(o))),
            new Scalar(BIGINT, "bigint", FieldType.INT64, true, (b, o, n, f, c) -> f.appendLong(b.getLong(o)), (b, o, n, j) -> j.number(b.getLong(o))),
            new Scalar(COUNTER, "counter", FieldType.INT64, true, (b, o, n, f, c) -> f.appendLong(b.getLong(o)), (b, o, n, j) -> j.number(b.getLong(o))),
            new Scalar(FLOAT, "float", FieldType.FLOAT32, true, (b, o, n, f, c) -> f.appendDouble(b.getFloat(o)), (b, o, n, j) -> j.number(b.getFloat(o))),
            new Scalar(DOUBLE, "double", FieldType.FLOAT64, true, (b, o, n, f, c) -> f.appendDouble(b.getDouble(o)),
                    (b, o, n, j) -> j.number(b.getDouble(o))),
            new Scalar(DECIMAL, "decimal", FieldType.FLOAT64, true, (b, o, n, f, c) -> f.appendDouble(decimal(b, o, n).doubleValue()),
                    (b, o, n, j) -> j.raw(decimal(b, o, n).toString())),
            new Scalar(VARINT, "varint", FieldType.FLOAT64, true, (b, o, n, f, c) -> f.appendDouble(varint(b, o, n).doubleValue()),
                    (b, o, n, j) -> j.raw(varint(b, o, n).toString())),
            new Scalar(BOOLEAN, "boolean", FieldType.BOOL, true, (b, o, n, f, c) -> f.appendBool(b.get(o) != 0),
                    (b, o, n, j) -> j.raw(b.get(o) != 0 ? "true" : "false")),
            new Scalar(TIMESTAMP, "timestamp", FieldType.TIME, true, (b, o, n, f, c) -> c.appendEpochMillis(b.getLong(o), f),
                    (b, o, n, j) -> j.string(Instant.ofEpochMilli(b.getLong(o)).toString())),
            new Scalar(DATE, "date", FieldType.TIME, true, (b, o, n, f, c) -> c.appendEpochDay(epochDay(b, o), f),
                    (b, o, n, j) -> j.string(LocalDate.ofEpochDay(epochDay(b, o)).toString())),
            new Scalar(TIME, "time", FieldType.STRING, true, (b, o, n, f, c) -> f.appendUtf8(c.scratch, 0, timeOfDay(b.getLong(o), c.scratch)),
                    (b, o, n, j) -> {
                        byte[] s = new byte[18];
                        j.raw('"').rawBytes(s, 0, timeOfDay(b.getLong(o), s)).raw('"');
                    }),
            new Scalar(DURATION, "duration", FieldType.STRING, true, (b, o, n, f, c) -> f.appendString(duration(b, o, n)),
                    (b, o, n, j) -> j.string(duration(b, o, n))),
            new Scalar(UUID, "uuid", FieldType.STRING, true, (b, o, n, f, c) -> f.appendUtf8(c.scratch, 0, uuid(b, o, c.scratch)),
                    (b, o, n, j) -> {
                        byte[] s = new byte[36];
                        j.raw('"').rawBytes(s, 0, uuid(b, o, s)).raw('"');
                    }),
            new Scalar(TIMEUUID, "timeuuid", FieldType.STRING, true, (b, o, n, f, c) -> f.appendUtf8(c.scratch, 0, uuid(b, o, c.scratch)),
                    (b, o, n, j) -> {
                        byte[] s = new byte[36];
                        j.raw('"').rawBytes(s, 0, uuid(b, o, s)).raw('"');
                    }),
            new Scalar(INET, "inet", FieldType.STRING, true, (b, o, n, f, c) -> f.appendString(inet(b, o, n)), (b, o, n, j) -> j.string(inet(b, o, n))),
            new Scalar(BLOB, "blob", FieldType.STRING, false, CqlTypes::hex, (b, o, n, j) -> {
                byte[] s = new byte[2 + 2 * n];
                j.raw('"').rawBytes(s, 0, hex(b, o, n, s)).raw('"');
            }));

    private static final Scalar[] BY_CODE = new Scalar[0x16];

    static {
        for (Scalar s : SCALARS) {
            BY_CODE[s.code] = s;
        }
    }

    /** Custom types other than vectors: shown as their bytes, like a blob. */
    private static final Scalar OPAQUE = new Scalar(CUSTOM, "custom", FieldType.STRING, false, CqlTypes::hex, BY_CODE[BLOB].json);

    private static Scalar scalar(DataType t) {
        int code = t.getProtocolCode();
        Scalar s = code < BY_CODE.length ? BY_CODE[code] : null;
        return s != null ? s : code == CUSTOM && !(t instanceof VectorType) ? OPAQUE : null;
    }

    /** The field type a column of CQL type {@code t} is read into (always a nullable field). */
    public static FieldType fieldType(DataType t) {
        Scalar s = scalar(t);
        return s != null ? s.fieldType : FieldType.JSON;
    }

    /** A reader for one result column of type {@code t}; it has its own scratch space (one thread, one query). */
    public static ColumnReader reader(DataType t) {
        Scalar s = scalar(t);
        if (s != null) {
            return new ColumnReader(t, s.fieldType, s.emptyIsNull, s.column);
        }
        JsonWriter w = json(t);
        return new ColumnReader(t, FieldType.JSON, false, (b, o, n, f, c) -> {
            JsonOut j = c.json();
            j.reset();
            w.write(b, o, n, j);
            f.appendUtf8(j.buffer(), 0, j.length());
        });
    }

    /**
     * Whether a column of type {@code t} can be a time index: a timestamp or date, or an int/bigint holding epoch
     * time (read by {@link #timeReader}).
     */
    static boolean canBeTime(DataType t) {
        int code = t.getProtocolCode();
        return fieldType(t) == FieldType.TIME || code == INT || code == BIGINT;
    }

    /**
     * A reader for a time index column: timestamps and dates as always; an int/bigint epoch becomes a time, its unit
     * told by magnitude, value by value (Grafana's SQL sources do the same): below 10^11 seconds, below 10^14
     * milliseconds, below 10^17 microseconds, else nanoseconds. So milliseconds before 1973-03-03 read as seconds.
     */
    static ColumnReader timeReader(DataType t) {
        return switch (t.getProtocolCode()) {
            case INT -> new ColumnReader(t, FieldType.TIME, true, (b, o, n, f, c) -> c.appendEpoch(b.getInt(o), f));
            case BIGINT -> new ColumnReader(t, FieldType.TIME, true, (b, o, n, f, c) -> c.appendEpoch(b.getLong(o), f));
            default -> {
                if (fieldType(t) != FieldType.TIME) {
                    throw new IllegalArgumentException("a " + t.asCql(false, true) + " column cannot be a time index");
                }
                yield reader(t);
            }
        };
    }

    /** How a value of type {@code t} is written inside JSON (recursively for nested and frozen types). */
    static JsonWriter json(DataType t) {
        Scalar s = scalar(t);
        if (s != null) {
            return s.emptyIsNull ? (b, o, n, j) -> {
                if (n == 0) {
                    j.raw("null");
                } else {
                    s.json.write(b, o, n, j);
                }
            } : s.json;
        }
        if (t instanceof ListType lt) {
            return sequence(json(lt.getElementType()));
        }
        if (t instanceof SetType st) {
            return sequence(json(st.getElementType()));
        }
        if (t instanceof MapType mt) {
            return map(mapKey(mt.getKeyType()), json(mt.getValueType()));
        }
        if (t instanceof TupleType tt) {
            List<JsonWriter> parts = new ArrayList<>();
            for (DataType c : tt.getComponentTypes()) {
                parts.add(json(c));
            }
            return fields(null, parts);
        }
        if (t instanceof UserDefinedType ut) {
            List<JsonWriter> parts = new ArrayList<>();
            for (DataType c : ut.getFieldTypes()) {
                parts.add(json(c));
            }
            List<byte[]> names = new ArrayList<>();
            for (var id : ut.getFieldNames()) {
                JsonOut name = new JsonOut();
                name.string(id.asInternal()).raw(':');
                names.add(java.util.Arrays.copyOf(name.buffer(), name.length()));
            }
            return fields(names, parts);
        }
        if (t instanceof VectorType vt) {
            Optional<Integer> size = CodecRegistry.DEFAULT.codecFor(vt.getElementType()).serializedSize();
            return vector(json(vt.getElementType()), vt.getDimensions(), size.orElse(-1));
        }
        throw new IllegalArgumentException("no reader for CQL type " + t.asCql(true, true)
                + (t instanceof CustomType ct ? " (" + ct.getClassName() + ")" : ""));
    }

    // ---- containers (native protocol v3+: [int n] then n × [int length][bytes], length < 0 is null)

    private static JsonWriter sequence(JsonWriter elem) {
        return (b, o, n, j) -> {
            int p = o;
            int count = b.getInt(p);
            p += 4;
            j.raw('[');
            for (int k = 0; k < count; k++) {
                if (k > 0) {
                    j.raw(',');
                }
                p = element(b, p, elem, j);
            }
            j.raw(']');
        };
    }

    private static JsonWriter map(JsonWriter key, JsonWriter value) {
        return (b, o, n, j) -> {
            int p = o;
            int count = b.getInt(p);
            p += 4;
            j.raw('{');
            for (int k = 0; k < count; k++) {
                if (k > 0) {
                    j.raw(',');
                }
                p = element(b, p, key, j);
                j.raw(':');
                p = element(b, p, value, j);
            }
            j.raw('}');
        };
    }

    /** JSON object keys must be strings: text keys as they are, any other key as its JSON text in a string. */
    private static JsonWriter mapKey(DataType keyType) {
        JsonWriter w = json(keyType);
        int code = keyType.getProtocolCode();
        if (code == ASCII || code == VARCHAR) {
            return w;
        }
        return (b, o, n, j) -> {
            int start = j.length();
            w.write(b, o, n, j);
            if (j.buffer()[start] == '"') {
                return; // already a string (uuid, timestamp, inet, …)
            }
            byte[] text = java.util.Arrays.copyOfRange(j.buffer(), start, j.length());
            j.truncate(start);
            j.string(text, 0, text.length);
        };
    }

    /** Tuples (names == null: an array) and UDTs (an object); missing trailing components are null. */
    private static JsonWriter fields(List<byte[]> names, List<JsonWriter> parts) {
        return (b, o, n, j) -> {
            int p = o;
            int end = o + n;
            j.raw(names == null ? '[' : '{');
            for (int k = 0; k < parts.size(); k++) {
                if (k > 0) {
                    j.raw(',');
                }
                if (names != null) {
                    byte[] name = names.get(k);
                    j.rawBytes(name, 0, name.length);
                }
                if (p >= end) {
                    j.raw("null");
                } else {
                    p = element(b, p, parts.get(k), j);
                }
            }
            j.raw(names == null ? ']' : '}');
        };
    }

    /** Vectors: fixed-size elements back to back, else each prefixed by its length as an unsigned vint. */
    private static JsonWriter vector(JsonWriter elem, int dimensions, int fixedSize) {
        return (b, o, n, j) -> {
            int p = o;
            j.raw('[');
            for (int k = 0; k < dimensions; k++) {
                if (k > 0) {
                    j.raw(',');
                }
                int len;
                if (fixedSize >= 0) {
                    len = fixedSize;
                } else {
                    long v = unsignedVInt(b, p);
                    p += (int) (v >>> 32);
                    len = (int) v;
                }
                elem.write(b, p, len, j);
                p += len;
            }
            j.raw(']');
        };
    }

    /** Reads {@code [int length][bytes]} at {@code p}, writes it, returns the position after it. */
    private static int element(ByteBuffer b, int p, JsonWriter w, JsonOut j) {
        int len = b.getInt(p);
        p += 4;
        if (len < 0) {
            j.raw("null");
            return p;
        }
        w.write(b, p, len, j);
        return p + len;
    }

    /** Cassandra's unsigned vint at {@code p}: the value in the low 32 bits, its size in bytes in the high 32. */
    static long unsignedVInt(ByteBuffer b, int p) {
        int first = b.get(p) & 0xff;
        int extra = Integer.numberOfLeadingZeros(~first & 0xff) - 24;
        long v = first & (0xff >> extra);
        for (int i = 1; i <= extra; i++) {
            v = (v << 8) | (b.get(p + i) & 0xff);
        }
        return ((long) (extra + 1) << 32) | (v & 0xffffffffL);
    }

    // ---- scalar decoding

    private static void utf8(ByteBuffer b, int o, int n, Field f, ColumnReader c) {
        if (b.hasArray()) {
            f.appendUtf8(b.array(), b.arrayOffset() + o, n);
        } else {
            byte[] s = c.scratch(n);
            b.get(o, s, 0, n);
            f.appendUtf8(s, 0, n);
        }
    }

    private static void hex(ByteBuffer b, int o, int n, Field f, ColumnReader c) {
        byte[] s = c.scratch(2 + 2 * n);
        f.appendUtf8(s, 0, hex(b, o, n, s));
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static int hex(ByteBuffer b, int o, int n, byte[] out) {
        out[0] = '0';
        out[1] = 'x';
        int q = 2;
        for (int i = 0; i < n; i++) {
            int v = b.get(o + i) & 0xff;
            out[q++] = HEX[v >>> 4];
            out[q++] = HEX[v & 0xf];
        }
        return q;
    }

    /** Writes the 36-character form of the UUID at {@code o} into {@code out}; returns 36. */
    static int uuid(ByteBuffer b, int o, byte[] out) {
        long msb = b.getLong(o);
        long lsb = b.getLong(o + 8);
        hexDigits(msb >>> 32, 8, out, 0);
        out[8] = '-';
        hexDigits(msb >>> 16, 4, out, 9);
        out[13] = '-';
        hexDigits(msb, 4, out, 14);
        out[18] = '-';
        hexDigits(lsb >>> 48, 4, out, 19);
        out[23] = '-';
        hexDigits(lsb, 12, out, 24);
        return 36;
    }

    private static void hexDigits(long v, int digits, byte[] out, int at) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    /** Writes nanoseconds since midnight as {@code HH:mm:ss.nnnnnnnnn}; returns 18. */
    static int timeOfDay(long nanos, byte[] out) {
        long secs = nanos / 1_000_000_000L;
        long frac = nanos % 1_000_000_000L;
        digits(secs / 3600, 2, out, 0);
        out[2] = ':';
        digits((secs / 60) % 60, 2, out, 3);
        out[5] = ':';
        digits(secs % 60, 2, out, 6);
        out[8] = '.';
        digits(frac, 9, out, 9);
        return 18;
    }

    private static void digits(long v, int n, byte[] out, int at) {
        for (int i = n - 1; i >= 0; i--) {
            out[at + i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    /** CQL dates are unsigned days with the epoch at 2^31. */
    static int epochDay(ByteBuffer b, int o) {
        return b.getInt(o) ^ Integer.MIN_VALUE;
    }

    private static byte[] bytes(ByteBuffer b, int o, int n) {
        byte[] out = new byte[n];
        b.get(o, out, 0, n);
        return out;
    }

    static BigInteger varint(ByteBuffer b, int o, int n) {
        return new BigInteger(bytes(b, o, n));
    }

    static BigDecimal decimal(ByteBuffer b, int o, int n) {
        return new BigDecimal(varint(b, o + 4, n - 4), b.getInt(o));
    }

    /** IPv6 in its canonical short form (RFC 5952: lower case, longest zero run as ::), as cqlsh shows it. */
    static String ipv6Text(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    static String inet(ByteBuffer b, int o, int n) {
        try {
            byte[] addr = bytes(b, o, n);
            return n == 16 ? ipv6Text(addr) : InetAddress.getByAddress(addr).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid inet value of " + n + " bytes", e);
        }
    }

    static String duration(ByteBuffer b, int o, int n) {
        return TypeCodecs.DURATION.decode(b.duplicate().position(o).limit(o + n), ProtocolVersion.DEFAULT).toString();
    }

    /** Reads one result column into one field. Not thread-safe: one per column per query. */
    public static final class ColumnReader {
        // Grafana times are int64 nanoseconds: about 1677-09-21 to 2262-04-11
        private static final long MAX_MS = Long.MAX_VALUE / 1_000_000L;
        private static final long MIN_MS = Long.MIN_VALUE / 1_000_000L;
        private static final long MAX_DAYS = Long.MAX_VALUE / 86_400_000_000_000L;

        private final DataType cqlType;
        private final FieldType fieldType;
        private final boolean emptyIsNull;
        private final ValueReader reader;
        byte[] scratch = new byte[64];
        private JsonOut json;
        private long unrepresentable;

        ColumnReader(DataType cqlType, FieldType fieldType, boolean emptyIsNull, ValueReader reader) {
            this.cqlType = cqlType;
            this.fieldType = fieldType;
            this.emptyIsNull = emptyIsNull;
            this.reader = reader;
        }

        public DataType cqlType() {
            return cqlType;
        }

        public FieldType fieldType() {
            return fieldType;
        }

        /** Timestamps and dates outside Grafana's time range, read as null so far. */
        public long unrepresentable() {
            return unrepresentable;
        }

        /** Appends column {@code i} of {@code row} to {@code out}. */
        public void read(Row row, int i, Field out) {
            append(row.getBytesUnsafe(i), out);
        }

        /** Appends a raw cell value (null is CQL null). */
        public void append(ByteBuffer v, Field out) {
            if (v == null) {
                out.appendNull();
                return;
            }
            int n = v.remaining();
            if (n == 0 && emptyIsNull) {
                out.appendNull();
                return;
            }
            reader.append(v, v.position(), n, out, this);
        }

        byte[] scratch(int n) {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            return scratch;
        }

        JsonOut json() {
            if (json == null) {
                json = new JsonOut();
            }
            return json;
        }

        void appendEpochMillis(long ms, Field f) {
            if (ms > MAX_MS || ms < MIN_MS) {
                unrepresentable++;
                f.appendNull();
            } else {
                f.appendLong(ms * 1_000_000L);
            }
        }

        /** An integer epoch in seconds, ms, µs or ns by magnitude ({@link CqlTypes#timeReader}). */
        void appendEpoch(long v, Field f) {
            long a = v == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(v);
            if (a < 100_000_000_000L) {
                appendScaled(v, a, 1_000_000_000L, f); // seconds
            } else if (a < 100_000_000_000_000L) {
                appendScaled(v, a, 1_000_000L, f); // milliseconds
            } else if (a < 100_000_000_000_000_000L) {
                appendScaled(v, a, 1_000L, f); // microseconds
            } else {
                f.appendLong(v); // nanoseconds
            }
        }

        private void appendScaled(long v, long abs, long nanosPerUnit, Field f) {
            if (abs > Long.MAX_VALUE / nanosPerUnit) {
                unrepresentable++;
                f.appendNull();
            } else {
                f.appendLong(v * nanosPerUnit);
            }
        }

        void appendEpochDay(long days, Field f) {
            if (days > MAX_DAYS || days < -MAX_DAYS) {
                unrepresentable++;
                f.appendNull();
            } else {
                f.appendLong(days * 86_400_000_000_000L);
            }
        }
    }
}
