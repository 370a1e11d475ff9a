package io.opencql.grafana.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads what ArrowFrameWriter writes back with Arrow's own file reader, as Grafana's Go decoder would. */
class ArrowFrameWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

    private BufferAllocator allocator;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator(Long.MAX_VALUE);
    }

    @AfterEach
    void tearDown() {
        allocator.close(); // throws if a test left reader buffers open
    }

    private static byte[] encode(Frame frame) {
        try (frame) {
            return ArrowFrameWriter.write(frame);
        }
    }

    private ArrowFileReader open(byte[] bytes) {
        return new ArrowFileReader(new SeekableReadChannel(new ByteArrayReadableSeekableByteChannel(bytes)), allocator);
    }

    @Test
    void fileFormatHasMagicAtBothEnds() {
        byte[] bytes = encode(SelfTestFrame.create().withRefId("A"));
        assertArrayEquals(MAGIC, Arrays.copyOfRange(bytes, 0, 6), "leading magic");
        assertArrayEquals(MAGIC, Arrays.copyOfRange(bytes, bytes.length - 6, bytes.length), "trailing magic");
    }

    @Test
    void frameMetadataIsOnTheSchemaNotTheFooter() throws IOException {
        byte[] bytes = encode(SelfTestFrame.create().withRefId("A"));
        try (ArrowFileReader reader = open(bytes)) {
            Schema schema = reader.getVectorSchemaRoot().getSchema();
            Map<String, String> md = schema.getCustomMetadata();
            assertEquals("selftest", md.get("name"));
            assertEquals("A", md.get("refId"));
            assertTrue(md.containsKey("meta"), "meta key on the schema");
            assertTrue(reader.getMetaData().isEmpty(), "footer custom metadata must stay empty: " + reader.getMetaData());

            JsonNode meta = JSON.readTree(md.get("meta"));
            assertEquals(JSON.readTree("[0,0]"), meta.get("typeVersion"));
            assertEquals("table", meta.get("preferredVisualisationType").asText());
            assertEquals("selftest", meta.get("executedQueryString").asText());
            assertEquals("info", meta.get("notices").get(0).get("severity").asText());
            assertEquals("protocol self-test", meta.get("notices").get(0).get("text").asText());
            // and nothing else: no empty keys, no Java-only properties (a record's is-getter once leaked in)
            assertEquals(JSON.readTree("""
                    {"typeVersion":[0,0],"preferredVisualisationType":"table","executedQueryString":"selftest",
                     "notices":[{"severity":"info","text":"protocol self-test"}]}
                    """), meta);
        }
        // the schema message right after the leading magic (the stream part of the file) carries it too
        ReadChannel stream = new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes, 8, bytes.length - 8)));
        Schema leading = MessageSerializer.deserializeSchema(stream);
        assertEquals("selftest", leading.getCustomMetadata().get("name"));
        assertEquals("A", leading.getCustomMetadata().get("refId"));
        assertTrue(leading.getCustomMetadata().containsKey("meta"));
    }

    @Test
    void everyFieldTypeRoundTrips() throws IOException {
        byte[] bytes = encode(SelfTestFrame.create().withRefId("A"));
        try (ArrowFileReader reader = open(bytes)) {
            assertEquals(1, reader.getRecordBlocks().size(), "one record batch");
            assertTrue(reader.loadNextBatch());
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(3, root.getRowCount());
            assertEquals(31, root.getSchema().getFields().size());

            for (boolean nullable : new boolean[] {false, true}) {
                String sfx = nullable ? "_nullable" : "";
                checkField(root, "int8" + sfx, new ArrowType.Int(8, true), nullable, "number");
                checkField(root, "int16" + sfx, new ArrowType.Int(16, true), nullable, "number");
                checkField(root, "int32" + sfx, new ArrowType.Int(32, true), nullable, "number");
                checkField(root, "int64" + sfx, new ArrowType.Int(64, true), nullable, "number");
                checkField(root, "uint8" + sfx, new ArrowType.Int(8, false), nullable, "number");
                checkField(root, "uint16" + sfx, new ArrowType.Int(16, false), nullable, "number");
                checkField(root, "uint32" + sfx, new ArrowType.Int(32, false), nullable, "number");
                checkField(root, "uint64" + sfx, new ArrowType.Int(64, false), nullable, "number");
                checkField(root, "float32" + sfx, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), nullable, "number");
                checkField(root, "float64" + sfx, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), nullable, "number");
                checkField(root, "bool" + sfx, ArrowType.Bool.INSTANCE, nullable, "boolean");
                checkField(root, "string" + sfx, ArrowType.Utf8.INSTANCE, nullable, "string");
                checkField(root, "time" + sfx, new ArrowType.Timestamp(TimeUnit.NANOSECOND, null), nullable, "time");
                checkField(root, "json" + sfx, ArrowType.Binary.INSTANCE, nullable, "other");
                checkField(root, "enum" + sfx, new ArrowType.Int(16, false), nullable, "enum");

                TinyIntVector i8 = (TinyIntVector) root.getVector("int8" + sfx);
                assertEquals(Byte.MIN_VALUE, i8.get(0));
                assertEquals(Byte.MAX_VALUE, i8.get(2));
                SmallIntVector i16 = (SmallIntVector) root.getVector("int16" + sfx);
                assertEquals(Short.MIN_VALUE, i16.get(0));
                assertEquals(Short.MAX_VALUE, i16.get(2));
                IntVector i32 = (IntVector) root.getVector("int32" + sfx);
                assertEquals(Integer.MIN_VALUE, i32.get(0));
                assertEquals(Integer.MAX_VALUE, i32.get(2));
                BigIntVector i64 = (BigIntVector) root.getVector("int64" + sfx);
                assertEquals(Long.MIN_VALUE, i64.get(0));
                assertEquals(Long.MAX_VALUE, i64.get(2));
                assertEquals(255, Byte.toUnsignedInt(((UInt1Vector) root.getVector("uint8" + sfx)).get(2)));
                assertEquals(65535, ((UInt2Vector) root.getVector("uint16" + sfx)).get(2));
                assertEquals(4_294_967_295L, Integer.toUnsignedLong(((UInt4Vector) root.getVector("uint32" + sfx)).get(2)));
                UInt8Vector u64 = (UInt8Vector) root.getVector("uint64" + sfx);
                assertEquals(new BigInteger("18446744073709551615"), u64.getObjectNoOverflow(2));
                assertEquals(1.5f, ((Float4Vector) root.getVector("float32" + sfx)).get(0));
                assertEquals(Float.MAX_VALUE, ((Float4Vector) root.getVector("float32" + sfx)).get(2));
                assertEquals(0.1, ((Float8Vector) root.getVector("float64" + sfx)).get(0));
                assertEquals(1e300, ((Float8Vector) root.getVector("float64" + sfx)).get(2));
                BitVector b = (BitVector) root.getVector("bool" + sfx);
                assertEquals(1, b.get(0));
                assertEquals(1, b.get(2));
                VarCharVector s = (VarCharVector) root.getVector("string" + sfx);
                assertEquals("a", new String(s.get(0), StandardCharsets.UTF_8));
                assertEquals("", new String(s.get(2), StandardCharsets.UTF_8));
                TimeStampNanoVector t = (TimeStampNanoVector) root.getVector("time" + sfx);
                assertEquals(1_704_164_645_123_456_789L, t.get(0), "nanosecond precision survives");
                assertEquals(2_147_483_648_000_000_000L, t.get(2));
                VarBinaryVector j = (VarBinaryVector) root.getVector("json" + sfx);
                assertEquals("{\"a\":1}", new String(j.get(0), StandardCharsets.UTF_8));
                assertEquals("\"x\"", new String(j.get(2), StandardCharsets.UTF_8));
                UInt2Vector e = (UInt2Vector) root.getVector("enum" + sfx);
                assertEquals(0, e.get(0));
                assertEquals(2, e.get(2));
                Field enumField = root.getSchema().findField("enum" + sfx);
                assertEquals(JSON.readTree("{\"type\":{\"enum\":{\"text\":[\"low\",\"mid\",\"high\"]}}}"),
                        JSON.readTree(enumField.getMetadata().get("config")));

                for (String name : List.of("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                        "float32", "float64", "bool", "string", "time", "json", "enum")) {
                    FieldVector v = root.getVector(name + sfx);
                    assertEquals(nullable, v.isNull(1), name + sfx + " row 1 null?");
                    assertFalse(v.isNull(0), name + sfx + " row 0");
                }
            }
            // the non-null variants' middle row
            assertEquals(0, ((TinyIntVector) root.getVector("int8")).get(1));
            assertEquals(1L, ((UInt8Vector) root.getVector("uint64")).get(1));
            assertEquals(-0.25f, ((Float4Vector) root.getVector("float32")).get(1));
            assertEquals(0, ((BitVector) root.getVector("bool")).get(1));
            assertEquals("ünïcödé", new String(((VarCharVector) root.getVector("string")).get(1), StandardCharsets.UTF_8));
            assertEquals(0L, ((TimeStampNanoVector) root.getVector("time")).get(1));
            assertEquals("[1,2]", new String(((VarBinaryVector) root.getVector("json")).get(1), StandardCharsets.UTF_8));

            // labels and config together: the Rust SDK once dropped labels in exactly this case
            Field value = root.getSchema().findField("value");
            assertFalse(value.isNullable());
            assertEquals("number", value.getMetadata().get("tstype"));
            assertEquals(JSON.readTree("{\"dc\":\"x\",\"host\":\"a\"}"), JSON.readTree(value.getMetadata().get("labels")));
            assertEquals(JSON.readTree("{\"displayName\":\"Latency\",\"unit\":\"ms\"}"),
                    JSON.readTree(value.getMetadata().get("config")));
            Float8Vector vv = (Float8Vector) root.getVector("value");
            assertEquals(List.of(1.0, 2.0, 3.0), List.of(vv.get(0), vv.get(1), vv.get(2)));

            // fields without labels/config must not carry empty keys
            Field int8 = root.getSchema().findField("int8");
            assertNull(int8.getMetadata().get("labels"));
            assertNull(int8.getMetadata().get("config"));
            assertFalse(reader.loadNextBatch(), "no second batch");
        }
    }

    private static void checkField(VectorSchemaRoot root, String name, ArrowType type, boolean nullable, String tstype) {
        Field f = root.getSchema().findField(name);
        assertEquals(type, f.getType(), name + " arrow type");
        assertEquals(nullable, f.isNullable(), name + " nullable flag");
        assertEquals(tstype, f.getMetadata().get("tstype"), name + " tstype");
    }

    @Test
    void bufferIsSizedFromTheDataNotFromTheVectorsCapacity() {
        // a 100-row answer read into fields sized for a 5000-row page, as the query side does
        try (Frame frame = new Frame("m", "A", FrameMeta.empty().withNotice(Notice.warning("a notice of some length")))) {
            io.opencql.grafana.data.Field time = frame.addField("time", FieldType.TIME, false, 5000);
            io.opencql.grafana.data.Field sensor = frame.addField("sensor", FieldType.STRING, true, 5000);
            io.opencql.grafana.data.Field v = frame.addField("v", FieldType.FLOAT64, true, 5000);
            for (int i = 0; i < 100; i++) {
                time.appendLong(1_700_000_000_000_000_000L + i);
                sensor.appendString("sensor-" + i);
                v.appendDouble(i / 3.0);
            }
            int estimate = ArrowFrameWriter.estimateSize(frame);
            int encoded = ArrowFrameWriter.write(frame).length;
            assertTrue(estimate >= encoded, "estimate " + estimate + " < encoded " + encoded + ": the buffer regrows");
            assertTrue(estimate < 2 * encoded, "estimate " + estimate + " for " + encoded + " encoded bytes");
            assertTrue(frame.allocatedBytes() > 10L * encoded, "the test's premise: capacity far above the data ("
                    + frame.allocatedBytes() + " allocated)");
        }
    }

    @Test
    void zeroRowFrameHasSchemaAndNoBatch() throws IOException {
        Frame frame = new Frame("empty", "B", null);
        frame.addField("time", FieldType.TIME, false);
        frame.addField("value", FieldType.FLOAT64, true).setLabels(Map.of("host", "a"));
        byte[] bytes = encode(frame);
        try (ArrowFileReader reader = open(bytes)) {
            Schema schema = reader.getVectorSchemaRoot().getSchema();
            assertEquals(2, schema.getFields().size());
            assertEquals("empty", schema.getCustomMetadata().get("name"));
            assertEquals("B", schema.getCustomMetadata().get("refId"));
            assertFalse(schema.getCustomMetadata().containsKey("meta"), "no meta set, no meta key");
            assertEquals("{\"host\":\"a\"}", schema.findField("value").getMetadata().get("labels"));
            assertEquals(0, reader.getRecordBlocks().size());
            assertFalse(reader.loadNextBatch());
        }
    }

    @Test
    void zeroFieldFrameEncodesAndDecodes() throws IOException {
        Frame frame = new Frame("", "C", FrameMeta.empty().withNotice(Notice.warning("no data")));
        byte[] bytes = encode(frame);
        assertArrayEquals(MAGIC, Arrays.copyOfRange(bytes, bytes.length - 6, bytes.length));
        try (ArrowFileReader reader = open(bytes)) {
            Schema schema = reader.getVectorSchemaRoot().getSchema();
            assertEquals(0, schema.getFields().size());
            assertEquals("", schema.getCustomMetadata().get("name"), "Go always writes name, even empty");
            assertEquals("C", schema.getCustomMetadata().get("refId"));
            assertEquals("warning", JSON.readTree(schema.getCustomMetadata().get("meta")).at("/notices/0/severity").asText());
            assertEquals(0, reader.getRecordBlocks().size());
            assertFalse(reader.loadNextBatch());
        }
    }
}
