package io.opencql.grafana.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
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

/**
 * Encodes a frame in Grafana's JSON frame format (the one Live packets, {@code SubscribeStreamResponse.data} and
 * {@code DataFrameFormat.JSON} carry), as Go's {@code data.FrameToJSON} writes it:
 *
 * <pre>
 * {"schema":{"name":..,"refId":..,"meta":{..},"fields":[{"name":..,"type":..,"typeInfo":{"frame":..,"nullable":true},"labels":{..},"config":{..}}]},
 *  "data":{"values":[[..],..],"entities":[null,{"NaN":[..],"Inf":[..],"NegInf":[..]}],"nanos":[[..],null]}}
 * </pre>
 *
 * <p>Values are read straight from each field's Arrow vector, one typed loop per column, so a packet costs no
 * per-row objects. Times are epoch milliseconds, with the sub-millisecond nanoseconds per row under
 * {@code nanos} (only when some time has them; {@code null} for the other fields). NaN and ±Inf have no JSON
 * spelling: they are written as {@code null} and their row indexes listed under {@code entities}, which the
 * browser uses to restore them. uint64 values are written as unsigned decimals, JSON values raw (empty or
 * {@code null} JSON as {@code null}), enums as their integer index.
 */
public final class JsonFrameWriter {

    /** What a message carries: a schema message replaces the consumer's schema, a data-only one appends rows. */
    public enum Include {
        ALL, SCHEMA_ONLY, DATA_ONLY
    }

    // meta and config go through databind (their records carry the key spelling); the fast double writer
    // (Schubfach) matters because doubles are most of a Live packet and Java 17's Double.toString is slow
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .build();

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private JsonFrameWriter() {
    }

    public static byte[] write(Frame frame, Include include) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimateSize(frame, include));
        writeTo(frame, include, out);
        return out.toByteArray();
    }

    /** Writes the frame's JSON to {@code out}; does not close it. */
    public static void writeTo(Frame frame, Include include, OutputStream out) {
        int rows = frame.rowCount(); // validates equal field lengths before anything is written
        try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            gen.writeStartObject();
            if (include != Include.DATA_ONLY) {
                gen.writeFieldName("schema");
                writeSchema(frame, gen);
            }
            if (include != Include.SCHEMA_ONLY) {
                gen.writeFieldName("data");
                writeData(frame, rows, gen);
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int estimateSize(Frame frame, Include include) {
        if (include == Include.SCHEMA_ONLY) {
            return 256 + 128 * frame.fields().size();
        }
        // text is roughly 2-3x the binary size for numbers; start near that to avoid most regrowth
        long bytes = 256L + 128L * frame.fields().size() + 2L * frame.allocatedBytes();
        return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
    }

    // ---- schema

    private static void writeSchema(Frame frame, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        if (!frame.name().isEmpty()) {
            gen.writeStringField("name", frame.name());
        }
        if (!frame.refId().isEmpty()) {
            gen.writeStringField("refId", frame.refId());
        }
        if (frame.meta() != null) {
            gen.writeFieldName("meta");
            gen.writeObject(frame.meta());
        }
        gen.writeArrayFieldStart("fields");
        for (Field f : frame.fields()) {
            gen.writeStartObject();
            if (!f.name().isEmpty()) {
                gen.writeStringField("name", f.name());
            }
            gen.writeStringField("type", f.type().simpleType());
            gen.writeObjectFieldStart("typeInfo");
            gen.writeStringField("frame", f.type().goName());
            if (f.nullable()) {
                gen.writeBooleanField("nullable", true);
            }
            gen.writeEndObject();
            if (!f.labels().isEmpty()) {
                gen.writeObjectFieldStart("labels");
                for (Map.Entry<String, String> e : f.labels().entrySet()) { // sorted by key already
                    gen.writeStringField(e.getKey(), e.getValue());
                }
                gen.writeEndObject();
            }
            if (f.config() != null) {
                gen.writeFieldName("config");
                gen.writeObject(f.config());
            }
            gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeEndObject();
    }

    // ---- data

    private static void writeData(Frame frame, int rows, JsonGenerator gen) throws IOException {
        int n = frame.fields().size();
        Entities[] entities = null;
        long[][] nanos = null;
        byte[] scratch = new byte[64];
        gen.writeStartObject();
        gen.writeArrayFieldStart("values");
        for (int fi = 0; fi < n; fi++) {
            Field f = frame.field(fi);
            FieldVector v = f.vector();
            boolean nullable = f.nullable();
            gen.writeStartArray();
            switch (f.type()) {
                case TIME -> {
                    long[] ns = writeTimes((TimeStampNanoVector) v, rows, nullable, gen);
                    if (ns != null) {
                        if (nanos == null) {
                            nanos = new long[n][];
                        }
                        nanos[fi] = ns;
                    }
                }
                case FLOAT64, FLOAT32 -> {
                    Entities e = writeFloats(v, f.type() == FieldType.FLOAT32, rows, nullable, gen);
                    if (e != null) {
                        if (entities == null) {
                            entities = new Entities[n];
                        }
                        entities[fi] = e;
                    }
                }
                case INT8 -> {
                    TinyIntVector t = (TinyIntVector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            gen.writeNumber(t.get(i));
                        }
                    }
                }
                case INT16 -> {
                    SmallIntVector t = (SmallIntVector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            gen.writeNumber(t.get(i));
                        }
                    }
                }
                case INT32 -> {
                    IntVector t = (IntVector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            gen.writeNumber(t.get(i));
                        }
                    }
                }
                case INT64 -> {
                    BigIntVector t = (BigIntVector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            gen.writeNumber(t.get(i));
                        }
                    }
                }
                case UINT8 -> {
                    UInt1Vector t = (UInt1Vector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            gen.writeNumber(Byte.toUnsignedInt(t.get(i)));
                        }
                    }
                }
                case UINT16, ENUM -> {
                    UInt2Vector t = (UInt2Vector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            gen.writeNumber((int) t.get(i));
                        }
                    }
                }
                case UINT32 -> {
                    UInt4Vector t = (UInt4Vector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            gen.writeNumber(Integer.toUnsignedLong(t.get(i)));
                        }
                    }
                }
                case UINT64 -> {
                    UInt8Vector t = (UInt8Vector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            long x = t.get(i);
                            if (x >= 0) {
                                gen.writeNumber(x);
                            } else {
                                gen.writeNumber(Long.toUnsignedString(x)); // written as a bare number
                            }
                        }
                    }
                }
                case BOOL -> {
                    BitVector t = (BitVector) v;
                    for (int i = 0; i < rows; i++) {
                        if (nullable && t.isNull(i)) {
                            gen.writeNull();
                        } else {
                            gen.writeBoolean(t.get(i) != 0);
                        }
                    }
                }
                case STRING -> scratch = writeStrings((BaseVariableWidthVector) v, rows, nullable, scratch, gen);
                case JSON -> writeRawJson((BaseVariableWidthVector) v, rows, nullable, gen);
                default -> throw new IllegalStateException("no JSON encoding for field type " + f.type());
            }
            gen.writeEndArray();
        }
        gen.writeEndArray();
        if (entities != null) {
            gen.writeArrayFieldStart("entities");
            for (Entities e : entities) {
                if (e == null) {
                    gen.writeNull();
                } else {
                    e.write(gen);
                }
            }
            gen.writeEndArray();
        }
        if (nanos != null) {
            gen.writeArrayFieldStart("nanos");
            for (long[] ns : nanos) {
                if (ns == null) {
                    gen.writeNull();
                } else {
                    gen.writeArray(ns, 0, ns.length);
                }
            }
            gen.writeEndArray();
        }
        gen.writeEndObject();
    }

    /** Writes epoch milliseconds; returns the per-row sub-millisecond nanoseconds, or null when all are zero. */
    private static long[] writeTimes(TimeStampNanoVector t, int rows, boolean nullable, JsonGenerator gen)
            throws IOException {
        long[] nanos = null;
        for (int i = 0; i < rows; i++) {
            if (nullable && t.isNull(i)) {
                gen.writeNull();
                continue;
            }
            long ns = t.get(i);
            // floor, not truncation: a time before 1970 keeps a non-negative remainder, as Go's UnixMilli does
            gen.writeNumber(Math.floorDiv(ns, NANOS_PER_MILLI));
            long rem = Math.floorMod(ns, NANOS_PER_MILLI);
            if (rem != 0) {
                if (nanos == null) {
                    nanos = new long[rows];
                }
                nanos[i] = rem;
            }
        }
        return nanos;
    }

    private static Entities writeFloats(FieldVector v, boolean single, int rows, boolean nullable, JsonGenerator gen)
            throws IOException {
        Entities entities = null;
        Float8Vector d = single ? null : (Float8Vector) v;
        Float4Vector s = single ? (Float4Vector) v : null;
        for (int i = 0; i < rows; i++) {
            if (nullable && v.isNull(i)) {
                gen.writeNull();
                continue;
            }
            double x;
            if (single) {
                float fx = s.get(i);
                if (Float.isFinite(fx)) {
                    gen.writeNumber(fx); // float32's own shortest form, not the widened double's digits
                    continue;
                }
                x = fx;
            } else {
                x = d.get(i);
                if (Double.isFinite(x)) {
                    gen.writeNumber(x);
                    continue;
                }
            }
            if (entities == null) {
                entities = new Entities();
            }
            entities.add(x, i);
            gen.writeNull();
        }
        return entities;
    }

    private static byte[] writeStrings(BaseVariableWidthVector v, int rows, boolean nullable, byte[] scratch,
            JsonGenerator gen) throws IOException {
        ArrowBuf offsets = v.getOffsetBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < rows; i++) {
            if (nullable && v.isNull(i)) {
                gen.writeNull();
                continue;
            }
            int start = offsets.getInt((long) i * BaseVariableWidthVector.OFFSET_WIDTH);
            int len = offsets.getInt((long) (i + 1) * BaseVariableWidthVector.OFFSET_WIDTH) - start;
            if (len > scratch.length) {
                scratch = new byte[Math.max(len, scratch.length * 2)];
            }
            data.getBytes(start, scratch, 0, len);
            gen.writeUTF8String(scratch, 0, len);
        }
        return scratch;
    }

    private static void writeRawJson(BaseVariableWidthVector v, int rows, boolean nullable, JsonGenerator gen)
            throws IOException {
        for (int i = 0; i < rows; i++) {
            if (nullable && v.isNull(i)) {
                gen.writeNull();
                continue;
            }
            String json = new String(v.get(i), StandardCharsets.UTF_8);
            if (json.isBlank()) {
                gen.writeNull(); // an empty value is not JSON; embedding it would break the whole packet
            } else {
                gen.writeRawValue(json);
            }
        }
    }

    /** Row indexes of one float field's NaN, +Inf and -Inf values. */
    private static final class Entities {
        private final IntList nan = new IntList();
        private final IntList inf = new IntList();
        private final IntList negInf = new IntList();

        void add(double x, int row) {
            if (Double.isNaN(x)) {
                nan.add(row);
            } else if (x > 0) {
                inf.add(row);
            } else {
                negInf.add(row);
            }
        }

        void write(JsonGenerator gen) throws IOException {
            gen.writeStartObject();
            nan.writeField("NaN", gen);
            inf.writeField("Inf", gen);
            negInf.writeField("NegInf", gen);
            gen.writeEndObject();
        }
    }

    private static final class IntList {
        private int[] a = new int[0];
        private int size;

        void add(int x) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(8, size * 2));
            }
            a[size++] = x;
        }

        /** Omitted when empty, as Go's omitempty does. */
        void writeField(String name, JsonGenerator gen) throws IOException {
            if (size > 0) {
                gen.writeFieldName(name);
                gen.writeArray(a, 0, size);
            }
        }
    }
}
