package io.opencql.cql.internal.query;

import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.SeriesBucket;
import io.opencql.grafana.data.TimeGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the rows the node grouped ({@link TimeGroupPlanner.Pushdown}: bucket, labels, then per value column its
 * aggregate and count) into exactly the frame {@link TimeGroup#apply} makes from the raw rows: the time field, the
 * label fields, one nullable float64 field per value column, rows in ascending bucket order and within a bucket in
 * the order their series first appear. A bucket whose values are all null (count 0) is null, except for count (0).
 *
 * <p>Rows of one series and bucket from several partitions (a label-less partition key column restricted by IN) are
 * merged: counts add, min/max combine. Sums do not: the node added each partition's rows on its own, and adding the
 * partial sums rounds differently from adding every row in turn, so {@link #assemble} then answers null and the caller
 * groups in the plugin.
 */
final class NodeTimeGroups {

    private NodeTimeGroups() {
    }

    /** The grouped long frame (the caller owns it), or null when sums of several partitions would need merging. */
    static Frame assemble(Frame node, TimeGroupPlanner.Pushdown plan) {
        int dims = plan.dimNames().size();
        List<TimeGroupPlanner.ValueColumn> values = plan.values();
        Field time = node.field(0);
        List<Field> dimFields = node.fields().subList(1, 1 + dims);
        Map<SeriesBucket, Group> groups = new HashMap<>();
        List<Group> order = new ArrayList<>();
        int n = node.rowCount();
        for (int r = 0; r < n; r++) {
            if (time.isNull(r)) {
                return null; // a time Grafana cannot show: let the plugin path report it as it always has
            }
            long bucket = time.getLong(r);
            SeriesBucket key = SeriesBucket.of(bucket, dimFields, r);
            Group g = groups.get(key);
            if (g == null) {
                g = new Group(bucket, r, order.size(), values.size());
                groups.put(key, g);
                order.add(g);
            }
            for (int v = 0; v < values.size(); v++) {
                TimeGroupPlanner.ValueColumn vc = values.get(v);
                long count = node.field(vc.countColumn()).getLong(r);
                if (count == 0) {
                    continue;
                }
                double x = vc.aggregateColumn() < 0 ? 0 : node.field(vc.aggregateColumn()).getDouble(r);
                if (g.count[v] > 0) {
                    switch (plan.aggregate()) {
                        case MIN -> x = Math.min(g.value[v], x);
                        case MAX -> x = Math.max(g.value[v], x);
                        case COUNT -> { }
                        default -> {
                            return null; // partial sums: see the class comment
                        }
                    }
                } // else: no earlier partition had a value in this bucket, so this partition's sum is the bucket's
                g.value[v] = x;
                g.count[v] += count;
            }
        }
        Group[] sorted = order.toArray(new Group[0]);
        Arrays.sort(sorted, (a, b) -> a.bucket != b.bucket ? Long.compare(a.bucket, b.bucket) : Integer.compare(a.seq, b.seq));

        Frame out = new Frame(node.name(), "", FrameMeta.empty());
        try {
            Field outTime = out.addField(plan.timeName(), FieldType.TIME, false, sorted.length);
            Field[] outDims = new Field[dims];
            for (int d = 0; d < dims; d++) {
                outDims[d] = out.addField(plan.dimNames().get(d), node.field(1 + d).type(), true, sorted.length);
            }
            Field[] outValues = new Field[values.size()];
            for (int v = 0; v < outValues.length; v++) {
                outValues[v] = out.addField(values.get(v).name(), FieldType.FLOAT64, true, sorted.length);
            }
            for (Group g : sorted) {
                outTime.appendLong(g.bucket);
                SeriesBucket.appendDims(dimFields, g.firstRow, outDims);
                for (int v = 0; v < outValues.length; v++) {
                    long c = g.count[v];
                    switch (plan.aggregate()) {
                        case COUNT -> outValues[v].appendDouble(c);
                        case AVG -> {
                            if (c == 0) {
                                outValues[v].appendNull();
                            } else {
                                outValues[v].appendDouble(g.value[v] / c); // as the plugin: sum / count
                            }
                        }
                        default -> {
                            if (c == 0) {
                                outValues[v].appendNull();
                            } else {
                                outValues[v].appendDouble(g.value[v]);
                            }
                        }
                    }
                }
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** One output row: per value column the node's aggregate (sum, min or max; unused for count) and count. */
    private static final class Group {
        final long bucket;
        final int firstRow;
        final int seq;
        final long[] count;
        final double[] value;

        Group(long bucket, int firstRow, int seq, int values) {
            this.bucket = bucket;
            this.firstRow = firstRow;
            this.seq = seq;
            count = new long[values];
            value = new double[values];
        }
    }
}
