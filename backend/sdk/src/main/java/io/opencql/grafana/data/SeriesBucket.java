package io.opencql.grafana.data;

import java.util.Arrays;
import java.util.List;

/**
 * One time bucket of one series of a long frame: the key {@link SeriesBuckets} groups rows by when a time series is
 * downsampled, whether the plugin groups the raw rows ({@link TimeGroup}) or a data source reads rows a database
 * already grouped. A series is named by the values of the frame's dimension fields (text, bool or null).
 */
record SeriesBucket(long bucket, Object[] series) {

    /** The key of row {@code r}: {@code bucket} and the values of {@code dims} at that row. */
    static SeriesBucket of(long bucket, List<Field> dims, int r) {
        Object[] series = new Object[dims.size()];
        for (int d = 0; d < series.length; d++) {
            Field f = dims.get(d);
            series[d] = f.isNull(r) ? null : f.type() == FieldType.BOOL ? (Object) f.getBool(r) : f.getString(r);
        }
        return new SeriesBucket(bucket, series);
    }

    /** Appends row {@code r}'s dimension values to {@code out}, field by field (fields of the same types). */
    static void appendDims(List<Field> dims, int r, Field[] out) {
        for (int d = 0; d < out.length; d++) {
            Field f = dims.get(d);
            if (f.isNull(r)) {
                out[d].appendNull();
            } else if (f.type() == FieldType.BOOL) {
                out[d].appendBool(f.getBool(r));
            } else {
                out[d].appendUtf8(f.getUtf8(r));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesBucket k && k.bucket == bucket && Arrays.equals(k.series, series);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bucket) * 31 + Arrays.hashCode(series);
    }

    @Override
    public String toString() {
        return "SeriesBucket[" + bucket + ", " + Arrays.toString(series) + "]";
    }
}
