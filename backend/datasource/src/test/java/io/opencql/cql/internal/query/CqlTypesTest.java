package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.data.CqlVector;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.datastax.oss.driver.internal.core.type.UserDefinedTypeBuilder;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CqlTypesTest {

    final Frame frame = new Frame("t");

    @AfterEach
    void close() {
        frame.close();
    }

    /** Encodes each value with the driver's codec for {@code type}, reads it back through our reader. */
    @SuppressWarnings("unchecked")
    Field read(DataType type, Object... values) {
        return read(CqlTypes.reader(type), type, values);
    }

    @SuppressWarnings("unchecked")
    Field read(CqlTypes.ColumnReader r, DataType type, Object... values) {
        Field f = frame.addField("c" + frame.fields().size(), r.fieldType(), true);
        TypeCodec<Object> codec = CodecRegistry.DEFAULT.codecFor(type);
        for (Object v : values) {
            ByteBuffer bb = v == null ? null : codec.encode(v, ProtocolVersion.DEFAULT);
            if (bb != null) {
                // as the driver hands them out: a slice at a non-zero position of a larger buffer
                ByteBuffer big = ByteBuffer.allocate(bb.remaining() + 7);
                big.position(7);
                big.put(bb.duplicate());
                big.position(7);
                bb = big;
            }
            int pos = bb == null ? 0 : bb.position();
            r.append(bb, f);
            if (bb != null) {
                assertEquals(pos, bb.position(), "reader must not move the buffer");
            }
        }
        assertEquals(r.fieldType(), f.type());
        return f;
    }

    static List<Object> values(Field f) {
        Object[] out = new Object[f.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.getObject(i);
        }
        return Arrays.asList(out);
    }

    @Test
    void fieldTypes() {
        Map<DataType, FieldType> expected = new LinkedHashMap<>();
        expected.put(DataTypes.ASCII, FieldType.STRING);
        expected.put(DataTypes.TEXT, FieldType.STRING);
        expected.put(DataTypes.TINYINT, FieldType.INT8);
        expected.put(DataTypes.SMALLINT, FieldType.INT16);
        expected.put(DataTypes.INT, FieldType.INT32);
        expected.put(DataTypes.BIGINT, FieldType.INT64);
        expected.put(DataTypes.COUNTER, FieldType.INT64);
        expected.put(DataTypes.FLOAT, FieldType.FLOAT32);
        expected.put(DataTypes.DOUBLE, FieldType.FLOAT64);
        expected.put(DataTypes.DECIMAL, FieldType.FLOAT64);
        expected.put(DataTypes.VARINT, FieldType.FLOAT64);
        expected.put(DataTypes.BOOLEAN, FieldType.BOOL);
        expected.put(DataTypes.TIMESTAMP, FieldType.TIME);
        expected.put(DataTypes.DATE, FieldType.TIME);
        expected.put(DataTypes.TIME, FieldType.STRING);
        expected.put(DataTypes.DURATION, FieldType.STRING);
        expected.put(DataTypes.UUID, FieldType.STRING);
        expected.put(DataTypes.TIMEUUID, FieldType.STRING);
        expected.put(DataTypes.INET, FieldType.STRING);
        expected.put(DataTypes.BLOB, FieldType.STRING);
        expected.put(DataTypes.listOf(DataTypes.INT), FieldType.JSON);
        expected.put(DataTypes.setOf(DataTypes.INT), FieldType.JSON);
        expected.put(DataTypes.mapOf(DataTypes.INT, DataTypes.INT), FieldType.JSON);
        expected.put(DataTypes.tupleOf(DataTypes.INT), FieldType.JSON);
        expected.put(DataTypes.vectorOf(DataTypes.FLOAT, 3), FieldType.JSON);
        expected.put(DataTypes.custom("org.example.Weird"), FieldType.STRING);
        expected.forEach((t, ft) -> assertEquals(ft, CqlTypes.fieldType(t), t.asCql(true, true)));
    }

    @Test
    void integers() {
        assertEquals(Arrays.asList(-128L, null, 127L), values(read(DataTypes.TINYINT, (byte) -128, null, (byte) 127)));
        assertEquals(Arrays.asList(-32768L, null, 32767L), values(read(DataTypes.SMALLINT, (short) -32768, null, (short) 32767)));
        assertEquals(Arrays.asList((long) Integer.MIN_VALUE, null, 42L), values(read(DataTypes.INT, Integer.MIN_VALUE, null, 42)));
        assertEquals(Arrays.asList(Long.MIN_VALUE, null, Long.MAX_VALUE), values(read(DataTypes.BIGINT, Long.MIN_VALUE, null, Long.MAX_VALUE)));
        assertEquals(Arrays.asList(7L, null), values(read(DataTypes.COUNTER, 7L, null)));
    }

    @Test
    void emptyValueOfAFixedSizeTypeIsNull() {
        CqlTypes.ColumnReader r = CqlTypes.reader(DataTypes.INT);
        Field f = frame.addField("i", FieldType.INT32, true);
        r.append(ByteBuffer.allocate(0), f);
        assertEquals(Arrays.asList((Object) null), values(f));
        CqlTypes.ColumnReader t = CqlTypes.reader(DataTypes.TEXT);
        Field s = frame.addField("s", FieldType.STRING, true);
        t.append(ByteBuffer.allocate(0), s);
        assertEquals(List.of(""), values(s));
    }

    @Test
    void floatingPointAndArbitraryPrecision() {
        assertEquals(Arrays.asList(1.5, null, (double) Float.MAX_VALUE), values(read(DataTypes.FLOAT, 1.5f, null, Float.MAX_VALUE)));
        assertEquals(Arrays.asList(0.1, Double.NaN, null), values(read(DataTypes.DOUBLE, 0.1, Double.NaN, null)));
        assertEquals(Arrays.asList(12.345, -1e30, null),
                values(read(DataTypes.DECIMAL, new BigDecimal("12.345"), new BigDecimal("-1E+30"), null)));
        assertEquals(Arrays.asList(1e20, -5.0, null), values(read(DataTypes.VARINT, new BigInteger("100000000000000000000"), BigInteger.valueOf(-5), null)));
    }

    @Test
    void booleans() {
        assertEquals(Arrays.asList(true, false, null), values(read(DataTypes.BOOLEAN, true, false, null)));
    }

    @Test
    void text() {
        assertEquals(Arrays.asList("ünï \"q\" ☃", null, ""), values(read(DataTypes.TEXT, "ünï \"q\" ☃", null, "")));
        assertEquals(Arrays.asList("abc", null), values(read(DataTypes.ASCII, "abc", null)));
    }

    @Test
    void timestampsAndDatesAreNanoseconds() {
        Instant t = Instant.parse("2024-01-02T03:04:05.678Z");
        assertEquals(Arrays.asList(t.toEpochMilli() * 1_000_000L, null, -1_000_000L),
                values(read(DataTypes.TIMESTAMP, t, null, Instant.ofEpochMilli(-1))));
        assertEquals(Arrays.asList(Instant.parse("2024-02-29T00:00:00Z").toEpochMilli() * 1_000_000L, null,
                        Instant.parse("1969-12-31T00:00:00Z").toEpochMilli() * 1_000_000L),
                values(read(DataTypes.DATE, LocalDate.parse("2024-02-29"), null, LocalDate.parse("1969-12-31"))));
    }

    @Test
    void timesOutsideGrafanasRangeBecomeNullAndAreCounted() {
        CqlTypes.ColumnReader r = CqlTypes.reader(DataTypes.TIMESTAMP);
        Field f = frame.addField("ts", FieldType.TIME, true);
        r.append(TypeCodecs().encode(Instant.parse("2300-01-01T00:00:00Z"), ProtocolVersion.DEFAULT), f);
        r.append(TypeCodecs().encode(Instant.parse("2262-01-01T00:00:00Z"), ProtocolVersion.DEFAULT), f);
        assertEquals(Arrays.asList(null, Instant.parse("2262-01-01T00:00:00Z").toEpochMilli() * 1_000_000L), values(f));
        assertEquals(1, r.unrepresentable());

        CqlTypes.ColumnReader d = CqlTypes.reader(DataTypes.DATE);
        Field g = frame.addField("d", FieldType.TIME, true);
        d.append(com.datastax.oss.driver.api.core.type.codec.TypeCodecs.DATE.encode(LocalDate.parse("1500-01-01"), ProtocolVersion.DEFAULT), g);
        assertEquals(Arrays.asList((Object) null), values(g));
        assertEquals(1, d.unrepresentable());
    }

    private static TypeCodec<Instant> TypeCodecs() {
        return com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMESTAMP;
    }

    @Test
    void timeOfDayDurationUuidInetBlob() {
        assertEquals(Arrays.asList("13:45:07.000000123", "00:00:00.000000000", null),
                values(read(DataTypes.TIME, LocalTime.of(13, 45, 7, 123), LocalTime.MIDNIGHT, null)));
        assertEquals(Arrays.asList("1y2mo3d4h5m6s7ms8us9ns", "-2h", null),
                values(read(DataTypes.DURATION, CqlDuration.from("1y2mo3d4h5m6s7ms8us9ns"), CqlDuration.from("-2h"), null)));
        UUID u = UUID.fromString("0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6");
        UUID tu = UUID.fromString("5f1e8a40-a9c9-11ee-8c90-0242ac120002");
        assertEquals(Arrays.asList(u.toString(), null), values(read(DataTypes.UUID, u, null)));
        assertEquals(Arrays.asList(tu.toString(), null), values(read(DataTypes.TIMEUUID, tu, null)));
        assertEquals(Arrays.asList("10.0.0.1", "::1", null), values(read(DataTypes.INET,
                address("10.0.0.1"), address("::1"), null)));
        assertEquals(Arrays.asList("0x00ff10", "0x", null),
                values(read(DataTypes.BLOB, ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 0x10}), ByteBuffer.allocate(0), null)));
    }

    static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void collectionsAreJson() {
        assertEquals(Arrays.asList("[1,2,3]", "[]", null), values(read(DataTypes.listOf(DataTypes.INT), List.of(1, 2, 3), List.of(), null)));
        assertEquals(List.of("[\"a\",\"b \\\"q\\\" \\u000a\"]"), values(read(DataTypes.setOf(DataTypes.TEXT), new java.util.LinkedHashSet<>(List.of("a", "b \"q\" \n")))));
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("x", 1.5);
        m.put("y", Double.NaN);
        assertEquals(List.of("{\"x\":1.5,\"y\":\"NaN\"}"), values(read(DataTypes.mapOf(DataTypes.TEXT, DataTypes.DOUBLE), m)));
    }

    @Test
    void mapKeysThatAreNotTextAreStringified() {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(1, "a");
        m.put(-2, "b");
        assertEquals(List.of("{\"1\":\"a\",\"-2\":\"b\"}"), values(read(DataTypes.mapOf(DataTypes.INT, DataTypes.TEXT), m)));
        UUID u = UUID.fromString("0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6");
        assertEquals(List.of("{\"0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6\":true}"),
                values(read(DataTypes.mapOf(DataTypes.UUID, DataTypes.BOOLEAN), Map.of(u, true))));
        DataType frozenKey = DataTypes.mapOf(DataTypes.frozenListOf(DataTypes.INT), DataTypes.INT);
        assertEquals(List.of("{\"[1,2]\":3}"), values(read(frozenKey, Map.of(List.of(1, 2), 3))));
    }

    @Test
    void nestedCollectionsTupleAndUdt() {
        DataType nested = DataTypes.mapOf(DataTypes.TEXT, DataTypes.frozenListOf(DataTypes.frozenSetOf(DataTypes.BIGINT)));
        assertEquals(List.of("{\"k\":[[1,2],[]]}"), values(read(nested, Map.of("k", List.of(new java.util.LinkedHashSet<>(List.of(1L, 2L)), Set.of())))));

        TupleType tt = DataTypes.tupleOf(DataTypes.INT, DataTypes.TEXT, DataTypes.TIMESTAMP, DataTypes.DATE);
        TupleValue tv = tt.newValue(7, null, Instant.parse("2024-01-02T03:04:05.678Z"), LocalDate.parse("2024-01-02"));
        assertEquals(List.of("[7,null,\"2024-01-02T03:04:05.678Z\",\"2024-01-02\"]"), values(read(tt, tv)));

        UserDefinedType address = new UserDefinedTypeBuilder(CqlIdentifier.fromInternal("ks"), CqlIdentifier.fromInternal("address"))
                .withField(CqlIdentifier.fromInternal("street"), DataTypes.TEXT)
                .withField(CqlIdentifier.fromInternal("Zip"), DataTypes.INT)
                .withField(CqlIdentifier.fromInternal("tags"), DataTypes.frozenListOf(DataTypes.TEXT))
                .frozen()
                .build();
        UdtValue uv = address.newValue("Main St", 12345, List.of("home"));
        assertEquals(List.of("{\"street\":\"Main St\",\"Zip\":12345,\"tags\":[\"home\"]}"), values(read(address, uv)));
        UdtValue partial = address.newValue().setString("street", "x");
        assertEquals(List.of("{\"street\":\"x\",\"Zip\":null,\"tags\":null}"), values(read(address, partial)));
    }

    @Test
    void jsonOfEveryScalarInsideAList() {
        UUID u = UUID.fromString("0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6");
        assertEquals(List.of("[\"0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6\"]"), values(read(DataTypes.listOf(DataTypes.UUID), List.of(u))));
        assertEquals(List.of("[\"0xcafe\"]"), values(read(DataTypes.listOf(DataTypes.BLOB), List.of(ByteBuffer.wrap(new byte[] {(byte) 0xca, (byte) 0xfe})))));
        assertEquals(List.of("[\"01:02:03.000000004\"]"), values(read(DataTypes.listOf(DataTypes.TIME), List.of(LocalTime.of(1, 2, 3, 4)))));
        assertEquals(List.of("[\"1mo2d\"]"), values(read(DataTypes.listOf(DataTypes.DURATION), List.of(CqlDuration.from("1mo2d")))));
        assertEquals(List.of("[123456789012345678901234567890.5]"),
                values(read(DataTypes.listOf(DataTypes.DECIMAL), List.of(new BigDecimal("123456789012345678901234567890.5")))));
        assertEquals(List.of("[123456789012345678901234567890]"),
                values(read(DataTypes.listOf(DataTypes.VARINT), List.of(new BigInteger("123456789012345678901234567890")))));
        assertEquals(List.of("[true,false]"), values(read(DataTypes.listOf(DataTypes.BOOLEAN), List.of(true, false))));
        assertEquals(List.of("[1.5,\"-Infinity\"]"), values(read(DataTypes.listOf(DataTypes.FLOAT), List.of(1.5f, Float.NEGATIVE_INFINITY))));
        assertEquals(List.of("[\"10.1.2.3\"]"), values(read(DataTypes.listOf(DataTypes.INET), List.of(address("10.1.2.3")))));
        assertEquals(List.of("[-1,2,3]"), values(read(DataTypes.listOf(DataTypes.TINYINT), List.of((byte) -1, (byte) 2, (byte) 3))));
    }

    @Test
    void vectors() {
        DataType vf = DataTypes.vectorOf(DataTypes.FLOAT, 3);
        assertEquals(Arrays.asList("[1.0,-2.5,3.25]", null), values(read(vf, CqlVector.newInstance(1.0f, -2.5f, 3.25f), null)));
        DataType vt = DataTypes.vectorOf(DataTypes.TEXT, 2);
        String longText = "x".repeat(300); // a length needing a two-byte vint
        assertEquals(List.of("[\"ab\",\"" + longText + "\"]"), values(read(vt, CqlVector.newInstance("ab", longText))));
    }

    @Test
    void unsignedVInt() {
        assertEquals((1L << 32) | 5, CqlTypes.unsignedVInt(ByteBuffer.wrap(new byte[] {5}), 0));
        assertEquals((2L << 32) | 300, CqlTypes.unsignedVInt(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0x2c}), 0));
    }

    @Test
    void unknownCustomTypeIsHex() {
        DataType custom = DataTypes.custom("org.example.Weird");
        CqlTypes.ColumnReader r = CqlTypes.reader(custom);
        Field f = frame.addField("c", r.fieldType(), true);
        r.append(ByteBuffer.wrap(new byte[] {1, 2}), f);
        assertEquals(List.of("0x0102"), values(f));
        assertTrue(CqlTypes.SCALARS.size() >= 20);
    }

    @Test
    void anIntOrBigintTimeIndexIsAnEpochWhoseUnitItsMagnitudeTells() {
        long ms = Instant.parse("2024-06-01T12:34:56.789Z").toEpochMilli();
        long ns = ms * 1_000_000L;
        CqlTypes.ColumnReader big = CqlTypes.timeReader(DataTypes.BIGINT);
        Field f = read(big, DataTypes.BIGINT, ms / 1000, ms, ms * 1000, ns, 0L, -86_400L, null,
                100_000_000_000L, 99_999_999_999L, 9_300_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE);
        assertEquals(FieldType.TIME, f.type());
        assertEquals(Arrays.asList(
                        ns - 789_000_000L, ns, ns, ns, // seconds, milliseconds, microseconds, nanoseconds
                        0L, -86_400_000_000_000L, null,
                        100_000_000_000_000_000L, // 10^11: milliseconds (1973-03-03)
                        null, // just below 10^11: seconds, past 2262: not a Grafana time
                        null, // microseconds past 2262
                        Long.MAX_VALUE, Long.MIN_VALUE), // nanoseconds
                values(f));
        assertEquals(2, big.unrepresentable());

        CqlTypes.ColumnReader small = CqlTypes.timeReader(DataTypes.INT);
        assertEquals(Arrays.asList(ns - 789_000_000L, null, -2_147_483_648_000_000_000L),
                values(read(small, DataTypes.INT, (int) (ms / 1000), null, Integer.MIN_VALUE)));

        assertEquals(FieldType.TIME, CqlTypes.timeReader(DataTypes.TIMESTAMP).fieldType());
        assertEquals(FieldType.TIME, CqlTypes.timeReader(DataTypes.DATE).fieldType());
        assertTrue(CqlTypes.canBeTime(DataTypes.BIGINT) && CqlTypes.canBeTime(DataTypes.INT) && CqlTypes.canBeTime(DataTypes.DATE));
        assertFalse(CqlTypes.canBeTime(DataTypes.DOUBLE) || CqlTypes.canBeTime(DataTypes.TEXT) || CqlTypes.canBeTime(DataTypes.SMALLINT));
        assertThrows(IllegalArgumentException.class, () -> CqlTypes.timeReader(DataTypes.TEXT));
    }
}
