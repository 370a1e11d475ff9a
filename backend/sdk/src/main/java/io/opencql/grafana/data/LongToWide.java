package io.opencql.grafana.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.TimeStampNanoVector;

/**
 * Converts a long time series frame (one row per time and series, series told apart by text columns) into the
 * wide frame Grafana's alerting and server-side expressions accept: one time column and one value field per
 * series, the series identity in the field's labels. It follows the convention of Go's
 * {@code data.LongToWide}:
 *
 * <ul>
 *   <li>The first TIME field is the index. It must have no nulls. Unlike Go, unsorted input is accepted: rows
 *       are put in time order by a stable sort, so rows with equal times keep their input order.</li>
 *   <li>Every STRING and BOOL field is a dimension: its name is a label key, its value the label value (bools
 *       as {@code "true"}/{@code "false"}, a null as {@code ""}).</li>
 *   <li>Every numeric field (int, uint, float) is a value column. For each distinct tuple of dimension values
 *       and each value column there is one output field named after the value column, carrying that tuple's
 *       labels and the value column's config. Other fields (later TIME fields, JSON, enums) are dropped.</li>
 *   <li>Rows with equal times become one output row. Two rows of the same series at the same time: the later
 *       row (in input order) wins, as in Go.</li>
 *   <li>Output value fields are FLOAT64 whatever the input type (older Grafana alerting reads only float64;
 *       int64/uint64 beyond 2^53 lose precision). A field is nullable when its value column is nullable or the
 *       fill mode is {@link FillMode#NULL} / {@link FillMode#PREVIOUS}.</li>
 *   <li>A series without a row at some time gets the fill value, see {@link FillMode}. With
 *       {@link FillMode#NONE} this is Go's behaviour without a fill: the zero value ({@code 0.0}) when the value
 *       column is not nullable and {@code null} when it is. Pick {@link FillMode#NULL} when a missing point
 *       must not read as a real zero (gaps in graphs, no false alerts on "below threshold").</li>
 *   <li>Fields are ordered time first, then by name, then by label values in dimension-column order (Go's
 *       {@code SortWideFrameFields} with the dimension names as keys).</li>
 *   <li>The result keeps the input's name and refId; its meta is the input's (notices, executed query string,
 *       ...) with {@code type = "timeseries-wide"} and {@code typeVersion = [0, 1]}, which declares the
 *       dataplane contract to server-side expressions.</li>
 *   <li>Zero input rows give a frame with only the time field (Grafana reads it as no data); Go returns an
 *       error there, but an empty query result is not a fault.</li>
 * </ul>
 *
 * <p>Cost: O(n) to read and group the rows (one dictionary lookup per dimension cell), O(n log n) only when the
 * time column is not already ascending, plus one output cell per (distinct time × series × value column). The
 * input frame is not modified or closed; the caller owns both frames.
 */
public final class LongToWide {

    private LongToWide() {
    }

    public static Frame convert(Frame longFrame, FillMode fill) {
        Objects.requireNonNull(longFrame, "longFrame");
        Objects.requireNonNull(fill, "fill");
        int n = longFrame.rowCount();

        LongFrameFields layout = LongFrameFields.of(longFrame);
        Field time = layout.time();
        List<Field> dims = layout.dims();
        List<Field> values = layout.values();
        String what = "cannot convert frame '" + longFrame.name() + "' to a wide time series: ";
        if (time == null) {
            throw new IllegalArgumentException(what + "it has no time field " + describe(longFrame));
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(what + "it has no numeric value field " + describe(longFrame));
        }
        Map<String, Field> dimNames = new HashMap<>();
        for (Field d : dims) {
            if (dimNames.put(d.name(), d) != null) {
                throw new IllegalArgumentException(what + "two label columns are both named '" + d.name() + "'");
            }
        }

        long[] t = readTimes(time, n, what);
        int[] order = ascendingOrder(t); // null: already ascending
        int[] seriesOfRow = new int[n];
        int seriesCount = groupSeries(dims, n, seriesOfRow);
        int[] firstRow = new int[seriesCount];
        Arrays.fill(firstRow, -1);
        for (int r = 0; r < n; r++) {
            if (firstRow[seriesOfRow[r]] < 0) {
                firstRow[seriesOfRow[r]] = r;
            }
        }
        String[][] labelValues = new String[seriesCount][];
        for (int s = 0; s < seriesCount; s++) {
            labelValues[s] = labelValuesAt(dims, firstRow[s]);
        }

        int wideRows = 0;
        for (int p = 0; p < n; p++) {
            if (p == 0 || t[at(order, p)] != t[at(order, p - 1)]) {
                wideRows++;
            }
        }

        FrameMeta meta = longFrame.meta() == null ? FrameMeta.empty() : longFrame.meta();
        Frame wide = new Frame(longFrame.name(), longFrame.refId(), meta.withType(FrameMeta.TIMESERIES_WIDE, 0, 1));
        try {
            Field wideTime = wide.addField(time.name(), FieldType.TIME, false, wideRows);
            wideTime.setConfig(time.config());
            Field[] out = createValueFields(wide, dims, values, labelValues, fill, wideRows);
            new Filler(out, values.size(), fill).fill(t, order, seriesOfRow, values, wideTime, wideRows);
            return wide;
        } catch (RuntimeException | Error e) {
            wide.close();
            throw e;
        }
    }

    private static String describe(Frame f) {
        StringBuilder sb = new StringBuilder("(fields:");
        for (Field x : f.fields()) {
            sb.append(' ').append(x.name()).append(' ').append(x.type().name().toLowerCase(java.util.Locale.ROOT))
                    .append(',');
        }
        if (f.fields().isEmpty()) {
            sb.append(" none");
        } else {
            sb.setLength(sb.length() - 1);
        }
        return sb.append(')').toString();
    }

    private static long[] readTimes(Field time, int n, String what) {
        TimeStampNanoVector v = (TimeStampNanoVector) time.vector();
        long[] t = new long[n];
        boolean nullable = time.nullable();
        for (int i = 0; i < n; i++) {
            if (nullable && v.isNull(i)) {
                throw new IllegalArgumentException(what + "time field '" + time.name() + "' is null at row " + i
                        + " (every row needs a time)");
            }
            t[i] = v.get(i);
        }
        return t;
    }

    private static int at(int[] order, int p) {
        return order == null ? p : order[p];
    }

    // ---- grouping rows into series

    /** Fills {@code seriesOfRow} with dense series ids (first seen, first numbered); returns the count. */
    private static int groupSeries(List<Field> dims, int n, int[] seriesOfRow) {
        if (n == 0) {
            return 0;
        }
        if (dims.isEmpty()) {
            return 1; // already wide: one series without labels (seriesOfRow is all zero)
        }
        int count = dimensionCodes(dims.get(0), n, seriesOfRow);
        int[] codes = dims.size() > 1 ? new int[n] : null;
        for (int d = 1; d < dims.size(); d++) {
            dimensionCodes(dims.get(d), n, codes);
            // (tuple so far, this column's value) -> a new dense id for the longer tuple
            LongIntMap pairs = new LongIntMap(Math.min(n, 1 << 16));
            for (int r = 0; r < n; r++) {
                seriesOfRow[r] = pairs.idOf(((long) seriesOfRow[r] << 32) | (codes[r] & 0xFFFF_FFFFL));
            }
            count = pairs.size();
        }
        return count;
    }

    /** Dense per-column codes for a dimension's values; returns the number of distinct values. */
    private static int dimensionCodes(Field d, int n, int[] codes) {
        if (d.type() == FieldType.BOOL) {
            // false, true, null: three fixed codes, renumbered dense
            boolean nullable = d.nullable();
            for (int r = 0; r < n; r++) {
                codes[r] = nullable && d.isNull(r) ? 2 : d.getBool(r) ? 1 : 0;
            }
            return densify(codes, n, 3);
        }
        return new Utf8Dictionary((BaseVariableWidthVector) d.vector()).codes(d.nullable(), n, codes);
    }

    /** Renumbers codes in [0, range) to dense first-seen ids. */
    private static int densify(int[] codes, int n, int range) {
        int[] id = new int[range];
        Arrays.fill(id, -1);
        int next = 0;
        for (int r = 0; r < n; r++) {
            int c = codes[r];
            if (id[c] < 0) {
                id[c] = next++;
            }
            codes[r] = id[c];
        }
        return next;
    }

    private static String[] labelValuesAt(List<Field> dims, int row) {
        String[] v = new String[dims.size()];
        for (int d = 0; d < v.length; d++) {
            Field f = dims.get(d);
            if (f.isNull(row)) {
                v[d] = "";
            } else if (f.type() == FieldType.BOOL) {
                v[d] = f.getBool(row) ? "true" : "false";
            } else {
                v[d] = f.getString(row);
            }
        }
        return v;
    }

    // ---- output fields

    /** Creates the output value fields in their final order; returns them indexed by series × values + value. */
    private static Field[] createValueFields(Frame wide, List<Field> dims, List<Field> values, String[][] labelValues,
            FillMode fill, int wideRows) {
        int nv = values.size();
        int total = labelValues.length * nv;
        Integer[] sorted = new Integer[total];
        for (int i = 0; i < total; i++) {
            sorted[i] = i;
        }
        Arrays.sort(sorted, (a, b) -> { // stable, like Go's SliceStable
            int c = values.get(a % nv).name().compareTo(values.get(b % nv).name());
            if (c != 0) {
                return c;
            }
            String[] la = labelValues[a / nv];
            String[] lb = labelValues[b / nv];
            for (int k = 0; k < la.length; k++) {
                c = la[k].compareTo(lb[k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        Field[] out = new Field[total];
        for (int i : sorted) {
            Field src = values.get(i % nv);
            Field f = wide.addField(src.name(), FieldType.FLOAT64, src.nullable() || fill.introducesNulls(), wideRows);
            String[] lv = labelValues[i / nv];
            if (lv.length > 0) {
                Map<String, String> labels = new LinkedHashMap<>();
                for (int k = 0; k < lv.length; k++) {
                    labels.put(dims.get(k).name(), lv[k]);
                }
                f.setLabels(labels);
            }
            f.setConfig(src.config());
            out[i] = f;
        }
        return out;
    }

    /**
     * Writes the cells of every output field in time order. Each field's latest cell is held back ("pending")
     * until the time moves on, so a later row of the same series at the same time can replace it; the gap
     * before it is filled when it is flushed.
     */
    private static final class Filler {
        private final Field[] out;
        private final int nv;
        private final FillMode fill;
        private final double fillValue;
        private final int[] pendingRow;
        private final double[] pendingValue;
        private final boolean[] pendingNull;
        private final double[] lastValue;
        private final boolean[] lastNull;

        Filler(Field[] out, int nv, FillMode fill) {
            this.out = out;
            this.nv = nv;
            this.fill = fill;
            this.fillValue = fill instanceof FillMode.Value v ? v.value() : 0.0;
            this.pendingRow = new int[out.length];
            Arrays.fill(pendingRow, -1);
            this.pendingValue = new double[out.length];
            this.pendingNull = new boolean[out.length];
            this.lastValue = new double[out.length];
            this.lastNull = new boolean[out.length];
            Arrays.fill(lastNull, true); // PREVIOUS before a series' first value: null
        }

        void fill(long[] t, int[] order, int[] seriesOfRow, List<Field> values, Field wideTime, int wideRows) {
            int n = t.length;
            Field[] src = values.toArray(new Field[0]);
            boolean[] srcNullable = new boolean[nv];
            for (int v = 0; v < nv; v++) {
                srcNullable[v] = src[v].nullable();
            }
            int w = -1;
            long prev = 0;
            for (int p = 0; p < n; p++) {
                int r = order == null ? p : order[p];
                long tr = t[r];
                if (w < 0 || tr != prev) {
                    w++;
                    prev = tr;
                    wideTime.appendLong(tr);
                }
                int base = seriesOfRow[r] * nv;
                for (int v = 0; v < nv; v++) {
                    int o = base + v;
                    if (pendingRow[o] != w) {
                        if (pendingRow[o] >= 0) {
                            flush(o);
                        }
                        pendingRow[o] = w;
                    }
                    boolean isNull = srcNullable[v] && src[v].isNull(r);
                    pendingNull[o] = isNull;
                    pendingValue[o] = isNull ? 0.0 : src[v].getDouble(r);
                }
            }
            for (int o = 0; o < out.length; o++) {
                if (pendingRow[o] >= 0) {
                    flush(o);
                }
                fillTo(o, wideRows);
            }
        }

        private void flush(int o) {
            fillTo(o, pendingRow[o]);
            append(o, pendingNull[o], pendingValue[o]);
        }

        private void fillTo(int o, int row) {
            Field f = out[o];
            while (f.size() < row) {
                if (fill instanceof FillMode.Previous) {
                    append(o, lastNull[o], lastValue[o]);
                } else if (fill instanceof FillMode.Value) {
                    append(o, false, fillValue);
                } else if (fill instanceof FillMode.Null || f.nullable()) {
                    append(o, true, 0.0);
                } else {
                    append(o, false, 0.0); // NONE on a non-nullable column: Go's zero value
                }
            }
        }

        private void append(int o, boolean isNull, double x) {
            if (isNull) {
                out[o].appendNull();
            } else {
                out[o].appendDouble(x);
            }
            lastNull[o] = isNull;
            lastValue[o] = x;
        }
    }

    // ---- sorting

    private static final int RUN = 32;

    /**
     * Row indexes in ascending time order, stable; null when the times are already ascending. A bottom-up merge
     * sort that moves each time along with its index, so every pass reads memory in order instead of looking
     * times up at random (which made a shuffled million rows several times slower).
     */
    static int[] ascendingOrder(long[] t) {
        int n = t.length;
        int i = 1;
        while (i < n && t[i - 1] <= t[i]) {
            i++;
        }
        if (i >= n) {
            return null;
        }
        long[] ka = t.clone();
        int[] ia = new int[n];
        for (int k = 0; k < n; k++) {
            ia[k] = k;
        }
        for (int lo = 0; lo < n; lo += RUN) {
            insertionSort(ka, ia, lo, Math.min(lo + RUN, n));
        }
        long[] kb = new long[n];
        int[] ib = new int[n];
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                merge(ka, ia, kb, ib, lo, mid, hi);
            }
            long[] sk = ka;
            ka = kb;
            kb = sk;
            int[] si = ia;
            ia = ib;
            ib = si;
        }
        return ia;
    }

    private static void insertionSort(long[] k, int[] a, int lo, int hi) {
        for (int i = lo + 1; i < hi; i++) {
            long key = k[i];
            int x = a[i];
            int j = i - 1;
            while (j >= lo && k[j] > key) { // strict: equal times keep their order
                k[j + 1] = k[j];
                a[j + 1] = a[j];
                j--;
            }
            k[j + 1] = key;
            a[j + 1] = x;
        }
    }

    private static void merge(long[] ks, int[] as, long[] kd, int[] ad, int lo, int mid, int hi) {
        int i = lo;
        int j = mid;
        if (mid >= hi || ks[mid - 1] <= ks[mid]) { // one run, or the two are already in order: copy
            System.arraycopy(ks, lo, kd, lo, hi - lo);
            System.arraycopy(as, lo, ad, lo, hi - lo);
            return;
        }
        for (int k = lo; k < hi; k++) {
            if (i < mid && (j >= hi || ks[i] <= ks[j])) { // left first on ties: stable
                kd[k] = ks[i];
                ad[k] = as[i++];
            } else {
                kd[k] = ks[j];
                ad[k] = as[j++];
            }
        }
    }

    /**
     * Dense codes for the values of a text column, hashing and comparing the UTF-8 bytes where they lie in the
     * Arrow buffer: no String per row (decoding a million labels cost more than the rest of the conversion).
     * A null is coded as the empty string, which is the label value it becomes.
     */
    private static final class Utf8Dictionary {
        private final BaseVariableWidthVector vector;
        private final ArrowBuf offsets;
        private final ArrowBuf data;
        private int[] table = new int[1024]; // slot -> id + 1; 0 is empty
        private long[] start = new long[256]; // id -> bytes of its first occurrence
        private long[] end = new long[256];
        private int[] hash = new int[256];
        private int size;

        Utf8Dictionary(BaseVariableWidthVector vector) {
            this.vector = vector;
            this.offsets = vector.getOffsetBuffer();
            this.data = vector.getDataBuffer();
        }

        int codes(boolean nullable, int n, int[] codes) {
            for (int r = 0; r < n; r++) {
                long s = 0;
                long e = 0;
                if (!(nullable && vector.isNull(r))) {
                    s = offsets.getInt((long) r * BaseVariableWidthVector.OFFSET_WIDTH);
                    e = offsets.getInt((long) (r + 1) * BaseVariableWidthVector.OFFSET_WIDTH);
                }
                codes[r] = idOf(s, e);
            }
            return size;
        }

        private int idOf(long s, long e) {
            int h = s == e ? 0 : ByteFunctionHelpers.hash(data, s, e);
            int mask = table.length - 1;
            int i = mix(h) & mask;
            for (int slot; (slot = table[i]) != 0; i = (i + 1) & mask) {
                int id = slot - 1;
                if (hash[id] == h && end[id] - start[id] == e - s
                        && (s == e || ByteFunctionHelpers.equal(data, start[id], end[id], data, s, e) == 1)) {
                    return id;
                }
            }
            int id = size++;
            if (id == start.length) {
                start = Arrays.copyOf(start, id * 2);
                end = Arrays.copyOf(end, id * 2);
                hash = Arrays.copyOf(hash, id * 2);
            }
            start[id] = s;
            end[id] = e;
            hash[id] = h;
            table[i] = id + 1;
            if (size * 2 > table.length) {
                rehash();
            }
            return id;
        }

        private void rehash() {
            table = new int[table.length * 2];
            int mask = table.length - 1;
            for (int id = 0; id < size; id++) {
                int i = mix(hash[id]) & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = id + 1;
            }
        }

        private static int mix(int h) {
            return h * 0x9E37_79B9 ^ (h >>> 16);
        }
    }

    /** Open-addressing long → dense int id map: tuple grouping without boxing a key per row. */
    private static final class LongIntMap {
        private long[] keys;
        private int[] ids;
        private boolean[] used;
        private int size;

        LongIntMap(int expected) {
            int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
            keys = new long[cap];
            ids = new int[cap];
            used = new boolean[cap];
        }

        int size() {
            return size;
        }

        /** The key's id, numbering new keys 0, 1, 2, ... in first-seen order. */
        int idOf(long key) {
            int mask = keys.length - 1;
            int i = mix(key) & mask;
            while (used[i]) {
                if (keys[i] == key) {
                    return ids[i];
                }
                i = (i + 1) & mask;
            }
            used[i] = true;
            keys[i] = key;
            ids[i] = size;
            if (++size * 2 > keys.length) {
                grow();
            }
            return size - 1;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldIds = ids;
            boolean[] oldUsed = used;
            keys = new long[oldKeys.length * 2];
            ids = new int[keys.length];
            used = new boolean[keys.length];
            int mask = keys.length - 1;
            for (int k = 0; k < oldKeys.length; k++) {
                if (oldUsed[k]) {
                    int i = mix(oldKeys[k]) & mask;
                    while (used[i]) {
                        i = (i + 1) & mask;
                    }
                    used[i] = true;
                    keys[i] = oldKeys[k];
                    ids[i] = oldIds[k];
                }
            }
        }

        private static int mix(long k) {
            long h = k * 0x9E37_79B9_7F4A_7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
