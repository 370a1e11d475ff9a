package io.opencql.cql.internal.query;

import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.SeriesBuckets;
import io.opencql.grafana.data.TimeGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the rows the node grouped ({@link TimeGroupPlanner.Pushdown}: bucket, labels, then per value column its
 * aggregate and count) into exactly the frame {@link TimeGroup#apply} makes from the raw rows, with the same
 * builder ({@link SeriesBuckets}): the time field, the label fields, one nullable float64 field per value column,
 * rows in ascending bucket order and within a bucket in the order their series first appear. A bucket whose values are all null (count 0) is null, except for count (0).
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
        int nValues = values.size();
        SeriesBuckets<Group> groups = new SeriesBuckets<>(dimFields, () -> new Group(nValues));
        int n = node.rowCount();
        for (int r = 0; r < n; r++) {
            if (time.isNull(r)) {
                return null; // a time Grafana cannot show: let the plugin path report it as it always has
            }
            Group g = groups.group(time.getLong(r), r);
            for (int v = 0; v < nValues; v++) {
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
        List<String> valueNames = new ArrayList<>(nValues);
        for (TimeGroupPlanner.ValueColumn vc : values) {
            valueNames.add(vc.name());
        }
        return groups.toFrame(node.name(), "", FrameMeta.empty(), plan.timeName(), plan.dimNames(), valueNames,
                (g, out) -> {
                    for (int v = 0; v < out.length; v++) {
                        long c = g.count[v];
                        if (plan.aggregate() == TimeGroup.Aggregate.COUNT) {
                            out[v].appendDouble(c);
                        } else if (c == 0) {
                            out[v].appendNull();
                        } else if (plan.aggregate() == TimeGroup.Aggregate.AVG) {
                            out[v].appendDouble(g.value[v] / c); // as the plugin: sum / count
                        } else {
                            out[v].appendDouble(g.value[v]);
                        }
                    }
                });
    }

    /** One output row: per value column the node's aggregate (sum, min or max; unused for count) and count. */
    private static final class Group {
        final long[] count;
        final double[] value;

        Group(int values) {
            count = new long[values];
            value = new double[values];
        }
    }
}
