package io.opencql.grafana.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The rows of a long frame grouped by series and time bucket ({@link SeriesBucket}), and the grouped long frame they
 * make: the time field (the bucket), the dimension fields, one nullable float64 field per value, rows in ascending
 * bucket order and within a bucket in the order their series first appear. One output shape for every time grouper,
 * whether it reduces raw rows ({@link TimeGroup}) or rows a database already grouped: what each group holds and how
 * it becomes values is the caller's ({@code G}).
 *
 * <p>Not thread-safe; the input frame is read, never changed, and must stay open until {@link #toFrame}.
 */
public final class SeriesBuckets<G> {

    /** A group and what orders it: its bucket, then when its series first appeared. */
    private record Entry<G>(long bucket, int firstRow, int seq, G group) {
    }

    private final List<Field> dims;
    private final Supplier<G> newGroup;
    private final Map<SeriesBucket, Entry<G>> groups = new HashMap<>();
    private final List<Entry<G>> order = new ArrayList<>();

    /** Groups by the values of {@code dims} (text, bool) and a bucket; {@code newGroup} makes a group on first sight. */
    public SeriesBuckets(List<Field> dims, Supplier<G> newGroup) {
        this.dims = List.copyOf(dims);
        this.newGroup = Objects.requireNonNull(newGroup, "newGroup");
    }

    /** The group of input row {@code row}'s series in {@code bucket}, made when it is the first such row. */
    public G group(long bucket, int row) {
        SeriesBucket key = SeriesBucket.of(bucket, dims, row);
        Entry<G> e = groups.get(key);
        if (e == null) {
            e = new Entry<>(bucket, row, order.size(), newGroup.get());
            groups.put(key, e);
            order.add(e);
        }
        return e.group;
    }

    /**
     * The grouped frame (the caller owns it): fields named {@code timeName}, {@code dimNames} (the input dimensions'
     * types) and {@code valueNames}; for each group in order, {@code appendValues} appends one value (or null) to
     * each value field.
     */
    public Frame toFrame(String name, String refId, FrameMeta meta, String timeName, List<String> dimNames,
            List<String> valueNames, BiConsumer<G, Field[]> appendValues) {
        return toFrame(name, refId, meta, timeName, null, dimNames, null, valueNames, null, appendValues);
    }

    /** {@link #toFrame} with field configs (null: none): for this package's conversions, which keep the input's. */
    Frame toFrame(String name, String refId, FrameMeta meta, String timeName, FieldConfig timeConfig,
            List<String> dimNames, List<FieldConfig> dimConfigs, List<String> valueNames, List<FieldConfig> valueConfigs,
            BiConsumer<G, Field[]> appendValues) {
        if (dimNames.size() != dims.size()) {
            throw new IllegalArgumentException(dimNames.size() + " dimension names for " + dims.size() + " dimensions");
        }
        @SuppressWarnings("unchecked")
        Entry<G>[] sorted = order.toArray(new Entry[0]);
        Arrays.sort(sorted, (a, b) -> a.bucket != b.bucket ? Long.compare(a.bucket, b.bucket) : Integer.compare(a.seq, b.seq));

        Frame out = new Frame(name, refId, meta);
        try {
            Field outTime = out.addField(timeName, FieldType.TIME, false, sorted.length).setConfig(timeConfig);
            Field[] outDims = new Field[dims.size()];
            for (int d = 0; d < outDims.length; d++) {
                outDims[d] = out.addField(dimNames.get(d), dims.get(d).type(), true, sorted.length)
                        .setConfig(dimConfigs == null ? null : dimConfigs.get(d));
            }
            Field[] outValues = new Field[valueNames.size()];
            for (int v = 0; v < outValues.length; v++) {
                outValues[v] = out.addField(valueNames.get(v), FieldType.FLOAT64, true, sorted.length)
                        .setConfig(valueConfigs == null ? null : valueConfigs.get(v));
            }
            for (Entry<G> e : sorted) {
                outTime.appendLong(e.bucket);
                SeriesBucket.appendDims(dims, e.firstRow, outDims);
                appendValues.accept(e.group, outValues);
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }
}
