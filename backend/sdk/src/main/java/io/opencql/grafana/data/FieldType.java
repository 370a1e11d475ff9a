package io.opencql.grafana.data;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The field types Grafana's frame decoder accepts, with the Arrow type each is written as, the Go item type
 * (used in the JSON frame format's {@code typeInfo.frame}) and the simple type ({@code tstype}).
 */
public enum FieldType {
    INT8("int8", "number", new ArrowType.Int(8, true)),
    INT16("int16", "number", new ArrowType.Int(16, true)),
    INT32("int32", "number", new ArrowType.Int(32, true)),
    INT64("int64", "number", new ArrowType.Int(64, true)),
    UINT8("uint8", "number", new ArrowType.Int(8, false)),
    UINT16("uint16", "number", new ArrowType.Int(16, false)),
    UINT32("uint32", "number", new ArrowType.Int(32, false)),
    UINT64("uint64", "number", new ArrowType.Int(64, false)),
    FLOAT32("float32", "number", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
    FLOAT64("float64", "number", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
    BOOL("bool", "boolean", ArrowType.Bool.INSTANCE),
    STRING("string", "string", ArrowType.Utf8.INSTANCE),
    /** Nanoseconds since the epoch, UTC: Grafana's decoder assumes nanoseconds whatever the declared unit. */
    TIME("time.Time", "time", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)),
    /** UTF-8 JSON text, written as Arrow binary. */
    JSON("json.RawMessage", "other", ArrowType.Binary.INSTANCE),
    /** An index into {@code config.type.enum.text}; Arrow uint16 marked with {@code tstype=enum}. */
    ENUM("enum", "enum", new ArrowType.Int(16, false));

    private final String goName;
    private final String simpleType;
    private final ArrowType arrowType;

    FieldType(String goName, String simpleType, ArrowType arrowType) {
        this.goName = goName;
        this.simpleType = simpleType;
        this.arrowType = arrowType;
    }

    /** Go's item type name, as in the JSON frame schema's {@code typeInfo.frame}. */
    public String goName() {
        return goName;
    }

    /** Grafana's simple type: time, number, boolean, string, enum, other. */
    public String simpleType() {
        return simpleType;
    }

    public ArrowType arrowType() {
        return arrowType;
    }

    public boolean isNumeric() {
        return "number".equals(simpleType);
    }

    public boolean isIntegral() {
        return this.ordinal() <= UINT64.ordinal();
    }
}
