package io.opencql.grafana.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PLACEHOLDER for the SDK's LongToWide (branch {@code frames}); same API, minimal implementation, dropped at
 * merge. First TIME field = index (rows sorted by it), STRING/BOOL fields = labels, numeric fields = values
 * (nullable FLOAT64 output), other fields dropped, meta type timeseries-wide [0,1].
 */
public final class LongToWide {

    private LongToWide() {
    }

    public static Frame convert(Frame in, FillMode fill) {
        int n = in.rowCount();
        Field time = null;
        List<Field> dims = new ArrayList<>();
        List<Field> values = new ArrayList<>();
        for (Field f : in.fields()) {
            if (f.type() == FieldType.TIME) {
                if (time == null) {
                    time = f;
                }
            } else if (f.type() == FieldType.STRING || f.type() == FieldType.BOOL) {
                dims.add(f);
            } else if (f.type().isNumeric()) {
                values.add(f);
            }
        }
        if (time == null || values.isEmpty()) {
            throw new IllegalArgumentException("frame needs a time field and a numeric field");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (time.isNull(i)) {
                throw new IllegalArgumentException("null time at row " + i);
            }
            order[i] = i;
        }
        Field t = time;
        Arrays.sort(order, Comparator.comparingLong(t::getLong));
        long[] times = new long[n];
        int[] rowToSlot = new int[n];
        int slots = 0;
        for (int k = 0; k < n; k++) {
            long v = t.getLong(order[k]);
            if (slots == 0 || times[slots - 1] != v) {
                times[slots++] = v;
            }
            rowToSlot[order[k]] = slots - 1;
        }
        Map<List<String>, Integer> seriesIndex = new HashMap<>();
        List<List<String>> series = new ArrayList<>();
        int[] rowSeries = new int[n];
        for (int i = 0; i < n; i++) {
            List<String> key = new ArrayList<>(dims.size());
            for (Field d : dims) {
                key.add(d.isNull(i) ? "" : String.valueOf(d.getObject(i)));
            }
            Integer s = seriesIndex.get(key);
            if (s == null) {
                s = series.size();
                seriesIndex.put(key, s);
                series.add(key);
            }
            rowSeries[i] = s;
        }
        record Out(String name, List<String> labels, int value, int series) {
        }
        List<Out> outs = new ArrayList<>();
        for (int v = 0; v < values.size(); v++) {
            for (int s = 0; s < series.size(); s++) {
                outs.add(new Out(values.get(v).name(), series.get(s), v, s));
            }
        }
        outs.sort(Comparator.comparing(Out::name).thenComparing(o -> String.join("\u0000", o.labels())));
        Frame out = new Frame(in.name()).setRefId(in.refId());
        FrameMeta meta = in.meta() == null ? FrameMeta.empty() : in.meta();
        out.setMeta(meta.withType(FrameMeta.TIMESERIES_WIDE, 0, 1));
        Field ot = out.addField(time.name(), FieldType.TIME, false);
        for (int k = 0; k < slots; k++) {
            ot.appendLong(times[k]);
        }
        for (Out o : outs) {
            Field src = values.get(o.value());
            double[] cells = new double[slots];
            boolean[] present = new boolean[slots];
            boolean[] isNull = new boolean[slots];
            for (int i = 0; i < n; i++) {
                if (rowSeries[i] == o.series()) {
                    int slot = rowToSlot[i];
                    present[slot] = true;
                    isNull[slot] = src.isNull(i);
                    cells[slot] = isNull[slot] ? 0 : src.getDouble(i);
                }
            }
            Field f = out.addField(o.name(), FieldType.FLOAT64, true);
            Map<String, String> labels = new HashMap<>();
            for (int d = 0; d < dims.size(); d++) {
                labels.put(dims.get(d).name(), o.labels().get(d));
            }
            f.setLabels(labels);
            f.setConfig(src.config());
            boolean havePrev = false;
            boolean prevNull = true;
            double prev = 0;
            for (int k = 0; k < slots; k++) {
                if (present[k]) {
                    if (isNull[k]) {
                        f.appendNull();
                    } else {
                        f.appendDouble(cells[k]);
                    }
                    havePrev = true;
                    prevNull = isNull[k];
                    prev = cells[k];
                } else if (fill instanceof FillMode.Value fv) {
                    f.appendDouble(fv.value());
                } else if (fill instanceof FillMode.Previous && havePrev && !prevNull) {
                    f.appendDouble(prev);
                } else {
                    f.appendNull();
                }
            }
        }
        return out;
    }
}
