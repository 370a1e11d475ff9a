package io.opencql.grafana.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Downsamples a long time-series frame: the rows of each series (the same values in every STRING/BOOL field) that
 * fall in the same time bucket become one row, each numeric field reduced by an {@link Aggregate}. What SQL data
 * sources do with {@code $__timeGroup(col, '5m')} and {@code GROUP BY}, for databases (CQL) that cannot group by
 * time themselves.
 *
 * <ul>
 *   <li>The first TIME field is the time; it must have no nulls. A row's bucket starts at
 *       {@code floor(time / step) * step} (epoch-aligned, UTC), which becomes the output time.</li>
 *   <li>STRING and BOOL fields are kept as they are (they identify the series); numeric fields become nullable
 *       FLOAT64 holding the aggregate of the bucket's non-null values (null when there are none; {@code count}
 *       is 0 then); other fields (later TIME fields, JSON) are dropped.</li>
 *   <li>Output rows come in ascending bucket order, and within a bucket in the order their series first appear.
 *       {@code first}/{@code last} pick by time, and among equal times by input order.</li>
 *   <li>Buckets without rows are not created; {@link LongToWide}'s fill modes then decide what a series shows
 *       where another series has a bucket.</li>
 * </ul>
 *
 * <p>Sums (and the sums of averages) are compensated as Apache Cassandra's {@code sum()} of doubles compensates them,
 * so that grouping on the node and here give the same bits.
 *
 * <p>Cost: one hash lookup per row; memory per output row. The input frame is not modified or closed.
 */
public final class TimeGroup {

    public enum Aggregate {
        AVG, MIN, MAX, SUM, COUNT, FIRST, LAST;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private TimeGroup() {
    }

    public static Frame apply(Frame longFrame, long stepNanos, Aggregate aggregate) {
        Objects.requireNonNull(longFrame, "longFrame");
        Objects.requireNonNull(aggregate, "aggregate");
        if (stepNanos <= 0) {
            throw new IllegalArgumentException("the time group step must be positive, got " + stepNanos + " ns");
        }
        LongFrameFields layout = LongFrameFields.of(longFrame);
        Field time = layout.time();
        List<Field> dims = layout.dims();
        List<Field> values = layout.values();
        if (time == null) {
            throw new IllegalArgumentException("cannot group frame '" + longFrame.name() + "' by time: it has no time field");
        }

        int n = longFrame.rowCount();
        int nValues = values.size();
        SeriesBuckets<Group> groups = new SeriesBuckets<>(dims, () -> new Group(nValues));
        for (int r = 0; r < n; r++) {
            if (time.isNull(r)) {
                throw new IllegalArgumentException("cannot group frame '" + longFrame.name() + "' by time: row " + r
                        + " has no time");
            }
            long t = time.getLong(r);
            Group g = groups.group(Math.floorDiv(t, stepNanos) * stepNanos, r);
            for (int v = 0; v < nValues; v++) {
                Field f = values.get(v);
                if (!f.isNull(r)) {
                    g.add(v, f.getDouble(r), t);
                }
            }
        }
        List<String> dimNames = new ArrayList<>(dims.size());
        List<FieldConfig> dimConfigs = new ArrayList<>(dims.size());
        for (Field f : dims) {
            dimNames.add(f.name());
            dimConfigs.add(f.config());
        }
        List<String> valueNames = new ArrayList<>(nValues);
        List<FieldConfig> valueConfigs = new ArrayList<>(nValues);
        for (Field f : values) {
            valueNames.add(f.name());
            valueConfigs.add(f.config());
        }
        return groups.toFrame(longFrame.name(), longFrame.refId(),
                longFrame.meta() == null ? FrameMeta.empty() : longFrame.meta(), time.name(), time.config(),
                dimNames, dimConfigs, valueNames, valueConfigs, (g, out) -> {
                    for (int v = 0; v < out.length; v++) {
                        if (aggregate == Aggregate.COUNT) {
                            out[v].appendDouble(g.count[v]);
                        } else if (g.count[v] == 0) {
                            out[v].appendNull();
                        } else {
                            out[v].appendDouble(g.result(v, aggregate));
                        }
                    }
                });
    }

    /** The running aggregates of one output row, per value field. */
    private static final class Group {
        final long[] count;
        final double[] sum;
        final double[] compensation;
        final double[] simpleSum;
        final double[] min;
        final double[] max;
        final double[] first;
        final long[] firstTime;
        final double[] last;
        final long[] lastTime;

        Group(int values) {
            count = new long[values];
            sum = new double[values];
            compensation = new double[values];
            simpleSum = new double[values];
            min = new double[values];
            max = new double[values];
            first = new double[values];
            firstTime = new long[values];
            last = new double[values];
            lastTime = new long[values];
        }

        void add(int v, double x, long t) {
            if (count[v]++ == 0) {
                min[v] = max[v] = first[v] = last[v] = x;
                firstTime[v] = lastTime[v] = t;
            } else {
                min[v] = Math.min(min[v], x);
                max[v] = Math.max(max[v], x);
                if (t < firstTime[v]) {
                    first[v] = x;
                    firstTime[v] = t;
                }
                if (t >= lastTime[v]) {
                    last[v] = x;
                    lastTime[v] = t;
                }
            }
            // compensated (Kahan) summation, step for step as Apache Cassandra's sum() of doubles, so that a bucket
            // the node sums (time grouping on the node) and one summed here agree to the last bit
            simpleSum[v] += x;
            double y = x - compensation[v];
            double t2 = sum[v] + y;
            compensation[v] = (t2 - sum[v]) - y;
            sum[v] = t2;
        }

        double sum(int v) {
            double s = sum[v] + compensation[v];
            return Double.isNaN(s) && Double.isInfinite(simpleSum[v]) ? simpleSum[v] : s;
        }

        double result(int v, Aggregate a) {
            return switch (a) {
                case AVG -> sum(v) / count[v];
                case MIN -> min[v];
                case MAX -> max[v];
                case SUM -> sum(v);
                case FIRST -> first[v];
                case LAST -> last[v];
                case COUNT -> count[v];
            };
        }
    }
}
