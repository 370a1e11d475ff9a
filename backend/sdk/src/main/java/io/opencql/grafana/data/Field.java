package io.opencql.grafana.data;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
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

/**
 * One column of a {@link Frame}. Values are appended straight into an Arrow vector of the field's type, so
 * the Arrow writer sends the very buffers rows were read into: no second copy of the data.
 *
 * <p>Integral types (including uint64 as its two's-complement bits, times in epoch nanoseconds and enum
 * indexes) are appended with {@link #appendLong}; floats with {@link #appendDouble}; strings and JSON with
 * {@link #appendString} or {@link #appendUtf8}. A field is not thread-safe; a frame is built by one thread.
 */
public final class Field implements AutoCloseable {

    private final String name;
    private final FieldType type;
    private final boolean nullable;
    private final FieldVector vector;
    private Map<String, String> labels = Map.of();
    private FieldConfig config;
    private int size;
    /** Set when its frame leaves its builder ({@link Frame#seal}): from then on the values are fixed. */
    private boolean sealed;

    /** {@code expectedRows} > 0 sizes the vector up front (it still grows past it). */
    Field(String name, FieldType type, boolean nullable, BufferAllocator allocator, int expectedRows) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.nullable = nullable;
        org.apache.arrow.vector.types.pojo.FieldType ft =
                new org.apache.arrow.vector.types.pojo.FieldType(nullable, type.arrowType(), null);
        this.vector = ft.createNewSingleVector(name, allocator, null);
        if (expectedRows > 0) {
            // Arrow's default first allocation is ~4k values: a wide frame with thousands of short series
            // would otherwise reserve tens of KB per field
            this.vector.setInitialCapacity(expectedRows);
        }
        this.vector.allocateNew();
    }

    /** The same values (the vector is shared, not copied) with another config: for {@link Frame#withFieldConfig}. */
    private Field(Field from, FieldConfig config) {
        this.name = from.name;
        this.type = from.type;
        this.nullable = from.nullable;
        this.vector = from.vector;
        this.labels = from.labels;
        this.config = config;
        this.size = from.size;
        this.sealed = from.sealed;
    }

    Field withConfig(FieldConfig config) {
        return new Field(this, config);
    }

    public String name() {
        return name;
    }

    public FieldType type() {
        return type;
    }

    public boolean nullable() {
        return nullable;
    }

    public int size() {
        return size;
    }

    /** Labels, sorted by key (Grafana compares label sets as sorted maps). */
    public Map<String, String> labels() {
        return labels;
    }

    /** While the frame is built (by this package's conversions); a built frame's fields are not changed. */
    Field setLabels(Map<String, String> labels) {
        checkBuilding();
        this.labels = labels == null || labels.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        return this;
    }

    public FieldConfig config() {
        return config;
    }

    /** While the frame is built (by this package's conversions); see {@link Frame#withFieldConfig}. */
    Field setConfig(FieldConfig config) {
        checkBuilding();
        this.config = config;
        return this;
    }

    /** The Arrow vector holding the values; its value count is set when the frame is written. */
    public FieldVector vector() {
        vector.setValueCount(size);
        return vector;
    }

    /** Fixes the values: every later append or set throws. Done by {@link Frame} when the frame leaves its builder. */
    void seal() {
        sealed = true;
    }

    boolean isSealed() {
        return sealed;
    }

    /**
     * A sealed field's frame has been handed on (to the query runner, a copy, the transport), and whoever holds it
     * may be encoding or reading it: frames are values once built, so changing one then is a bug in the caller.
     */
    private void checkBuilding() {
        if (sealed) {
            throw new IllegalStateException("field '" + name + "' belongs to a frame that was handed on (sealed):"
                    + " frames are values once built; build a new frame instead");
        }
    }

    // ---- appending

    public void appendNull() {
        checkBuilding();
        if (!nullable) {
            throw new IllegalStateException("field '" + name + "' is not nullable");
        }
        vector.setNull(size++);
    }

    public void appendLong(long v) {
        checkBuilding();
        int i = size;
        switch (type) {
            case INT8 -> ((TinyIntVector) vector).setSafe(i, (byte) v);
            case INT16 -> ((SmallIntVector) vector).setSafe(i, (short) v);
            case INT32 -> ((IntVector) vector).setSafe(i, (int) v);
            case INT64 -> ((BigIntVector) vector).setSafe(i, v);
            case UINT8 -> ((UInt1Vector) vector).setSafe(i, (int) v);
            case UINT16, ENUM -> ((UInt2Vector) vector).setSafe(i, (int) v);
            case UINT32 -> ((UInt4Vector) vector).setSafe(i, (int) v);
            case UINT64 -> ((UInt8Vector) vector).setSafe(i, v);
            case TIME -> ((TimeStampNanoVector) vector).setSafe(i, v);
            case FLOAT32 -> ((Float4Vector) vector).setSafe(i, (float) v);
            case FLOAT64 -> ((Float8Vector) vector).setSafe(i, (double) v);
            default -> throw wrongType("an integer");
        }
        size = i + 1;
    }

    public void appendDouble(double v) {
        checkBuilding();
        int i = size;
        switch (type) {
            case FLOAT32 -> ((Float4Vector) vector).setSafe(i, (float) v);
            case FLOAT64 -> ((Float8Vector) vector).setSafe(i, v);
            default -> throw wrongType("a float");
        }
        size = i + 1;
    }

    public void appendBool(boolean v) {
        checkBuilding();
        if (type != FieldType.BOOL) {
            throw wrongType("a boolean");
        }
        ((BitVector) vector).setSafe(size++, v ? 1 : 0);
    }

    /** Appends text (STRING) or JSON text (JSON); {@code null} appends a null. */
    public void appendString(String v) {
        if (v == null) {
            appendNull();
            return;
        }
        appendUtf8(v.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends UTF-8 bytes to a STRING or JSON field without decoding them. */
    public void appendUtf8(byte[] utf8) {
        appendUtf8(utf8, 0, utf8.length);
    }

    public void appendUtf8(byte[] utf8, int offset, int length) {
        checkBuilding();
        switch (type) {
            case STRING -> ((VarCharVector) vector).setSafe(size, utf8, offset, length);
            case JSON -> ((VarBinaryVector) vector).setSafe(size, utf8, offset, length);
            default -> throw wrongType("text");
        }
        size++;
    }

    private IllegalArgumentException wrongType(String what) {
        return new IllegalArgumentException("field '" + name + "' of type " + type + " cannot take " + what);
    }

    // ---- reading

    public boolean isNull(int row) {
        checkRow(row);
        return vector.isNull(row);
    }

    /** The value of an integral, time (ns) or enum field. */
    public long getLong(int row) {
        checkRow(row);
        return switch (type) {
            case INT8 -> ((TinyIntVector) vector).get(row);
            case INT16 -> ((SmallIntVector) vector).get(row);
            case INT32 -> ((IntVector) vector).get(row);
            case INT64 -> ((BigIntVector) vector).get(row);
            case UINT8 -> Byte.toUnsignedLong(((UInt1Vector) vector).get(row));
            case UINT16, ENUM -> ((UInt2Vector) vector).get(row);
            case UINT32 -> Integer.toUnsignedLong(((UInt4Vector) vector).get(row));
            case UINT64 -> ((UInt8Vector) vector).get(row);
            case TIME -> ((TimeStampNanoVector) vector).get(row);
            default -> throw wrongType("reading as an integer");
        };
    }

    /** The value of any numeric field as a double (uint64 read as unsigned). */
    public double getDouble(int row) {
        checkRow(row);
        return switch (type) {
            case FLOAT32 -> ((Float4Vector) vector).get(row);
            case FLOAT64 -> ((Float8Vector) vector).get(row);
            case UINT64 -> unsignedToDouble(((UInt8Vector) vector).get(row));
            default -> getLong(row);
        };
    }

    public boolean getBool(int row) {
        checkRow(row);
        if (type != FieldType.BOOL) {
            throw wrongType("reading as a boolean");
        }
        return ((BitVector) vector).get(row) != 0;
    }

    /** The UTF-8 bytes of a STRING or JSON value. */
    public byte[] getUtf8(int row) {
        checkRow(row);
        return switch (type) {
            case STRING -> ((VarCharVector) vector).get(row);
            case JSON -> ((VarBinaryVector) vector).get(row);
            default -> throw wrongType("reading as text");
        };
    }

    public String getString(int row) {
        return isNull(row) ? null : new String(getUtf8(row), StandardCharsets.UTF_8);
    }

    /** A boxed value for tests and slow paths: Long, Double, Boolean, String (JSON as its text), or null. */
    public Object getObject(int row) {
        if (isNull(row)) {
            return null;
        }
        return switch (type) {
            case FLOAT32, FLOAT64 -> getDouble(row);
            case BOOL -> getBool(row);
            case STRING, JSON -> getString(row);
            default -> getLong(row);
        };
    }

    private void checkRow(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of field '" + name + "' with " + size + " rows");
        }
    }

    static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1L);
    }

    @Override
    public void close() {
        vector.close();
    }
}
