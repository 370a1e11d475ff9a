package io.opencql.grafana.data;

import java.util.List;
import java.util.Map;

/**
 * A frame holding every field type Grafana decodes, non-null and nullable, plus a field with labels and
 * config together: an operator (or a conformance test) can check that a Grafana version accepts every
 * encoding this SDK produces without touching a database.
 */
public final class SelfTestFrame {

    private SelfTestFrame() {
    }

    /** Epoch nanoseconds of 2024-01-02T03:04:05.123456789Z, 1970-01-01T00:00:00Z and 2038-01-19T03:14:08Z. */
    static final long[] TIMES = {1_704_164_645_123_456_789L, 0L, 2_147_483_648_000_000_000L};

    /** The frame; its refId is the query runner's to set, as on every answer's frames. */
    public static Frame create() {
        Frame frame = new Frame("selftest", "", FrameMeta.empty()
                .withPreferredVisualisation("table")
                .withExecutedQueryString("selftest")
                .withNotice(Notice.info("protocol self-test")));
        for (boolean nullable : new boolean[] {false, true}) {
            String suffix = nullable ? "_nullable" : "";
            longs(frame.addField("int8" + suffix, FieldType.INT8, nullable), nullable, Byte.MIN_VALUE, 0, Byte.MAX_VALUE);
            longs(frame.addField("int16" + suffix, FieldType.INT16, nullable), nullable, Short.MIN_VALUE, 0, Short.MAX_VALUE);
            longs(frame.addField("int32" + suffix, FieldType.INT32, nullable), nullable, Integer.MIN_VALUE, 0, Integer.MAX_VALUE);
            longs(frame.addField("int64" + suffix, FieldType.INT64, nullable), nullable, Long.MIN_VALUE, 0, Long.MAX_VALUE);
            longs(frame.addField("uint8" + suffix, FieldType.UINT8, nullable), nullable, 0, 1, 255);
            longs(frame.addField("uint16" + suffix, FieldType.UINT16, nullable), nullable, 0, 1, 65535);
            longs(frame.addField("uint32" + suffix, FieldType.UINT32, nullable), nullable, 0, 1, 4_294_967_295L);
            longs(frame.addField("uint64" + suffix, FieldType.UINT64, nullable), nullable, 0, 1, -1L /* 2^64-1 */);
            doubles(frame.addField("float32" + suffix, FieldType.FLOAT32, nullable), nullable, 1.5, -0.25, Float.MAX_VALUE);
            doubles(frame.addField("float64" + suffix, FieldType.FLOAT64, nullable), nullable, 0.1, -2.5, 1e300);
            Field b = frame.addField("bool" + suffix, FieldType.BOOL, nullable);
            b.appendBool(true);
            if (nullable) {
                b.appendNull();
            } else {
                b.appendBool(false);
            }
            b.appendBool(true);
            strings(frame.addField("string" + suffix, FieldType.STRING, nullable), nullable, "a", "ünïcödé", "");
            longs(frame.addField("time" + suffix, FieldType.TIME, nullable), nullable, TIMES[0], TIMES[1], TIMES[2]);
            strings(frame.addField("json" + suffix, FieldType.JSON, nullable), nullable, "{\"a\":1}", "[1,2]", "\"x\"");
            longs(frame.addField("enum" + suffix, FieldType.ENUM, nullable), nullable, 0, 1, 2)
                    .setConfig(FieldConfig.enumText(List.of("low", "mid", "high")));
        }
        Field value = frame.addField("value", FieldType.FLOAT64, false);
        value.appendDouble(1);
        value.appendDouble(2);
        value.appendDouble(3);
        value.setLabels(Map.of("host", "a", "dc", "x"));
        value.setConfig(FieldConfig.EMPTY.withUnit("ms").withDisplayName("Latency"));
        return frame;
    }

    private static Field longs(Field f, boolean nullable, long a, long b, long c) {
        f.appendLong(a);
        if (nullable) {
            f.appendNull();
        } else {
            f.appendLong(b);
        }
        f.appendLong(c);
        return f;
    }

    private static void doubles(Field f, boolean nullable, double a, double b, double c) {
        f.appendDouble(a);
        if (nullable) {
            f.appendNull();
        } else {
            f.appendDouble(b);
        }
        f.appendDouble(c);
    }

    private static void strings(Field f, boolean nullable, String a, String b, String c) {
        f.appendString(a);
        if (nullable) {
            f.appendNull();
        } else {
            f.appendString(b);
        }
        f.appendString(c);
    }
}
