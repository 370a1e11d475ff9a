package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.FieldConfig;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.FillMode;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.LongToWide;
import io.opencql.grafana.data.TimeGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two result shapes.
 *
 * <ul>
 *   <li><b>table</b>: one frame, the columns as returned, {@code preferredVisualisationType: table}.</li>
 *   <li><b>time_series</b>: the rows are read as a long frame of the time column (query option
 *       {@code timeColumn}, else the first timestamp/date column), the numeric columns (values) and the
 *       text-like and boolean columns (labels); rows with a null time are left out; other columns (JSON,
 *       further times) are not read. The long frame is converted to one wide frame: sorted time, one float64
 *       field per value column and label set, the labels on the value fields, the fill mode for missing
 *       cells and {@code meta.type} {@code timeseries-wide}: what Grafana alerting and server-side
 *       expressions accept. The alias template gives each value field its display name.</li>
 *   <li><b>stream</b> ({@code stream: true}, Live): the rows as read, in ascending time, so that the packets of
 *       new rows append to the same fields: all columns for {@code table}, the time-series columns declared
 *       {@code timeseries-long} for {@code time_series}.</li>
 * </ul>
 */
final class ResultShapes {

    private ResultShapes() {
    }

    // ---- table

    static Frame table(ResultReader.Result r, FrameMeta meta) {
        return r.frame().withMeta(meta.withPreferredVisualisation("table"));
    }

    // ---- time series

    /** Which columns a time series reads: time first, then values and labels in result order. */
    static ResultReader.Plan timeSeriesPlan(ColumnDefinitions defs, String timeColumn) {
        int time = timeColumn(defs, timeColumn, "format time_series",
                "; select one (toTimestamp() converts a timeuuid) or use format table");
        List<Integer> cols = new ArrayList<>();
        cols.add(time);
        int values = 0;
        for (int i = 0; i < defs.size(); i++) {
            if (i == time) {
                continue;
            }
            FieldType t = CqlTypes.fieldType(defs.get(i).getType());
            if (t.isNumeric()) {
                values++;
                cols.add(i);
            } else if (t == FieldType.STRING || t == FieldType.BOOL) {
                cols.add(i);
            }
        }
        if (values == 0) {
            throw QueryException.badRequest("format time_series needs a numeric value column, and the result has none (columns: "
                    + describe(defs) + ")");
        }
        return new ResultReader.Plan(cols.stream().mapToInt(Integer::intValue).toArray(), time);
    }

    /**
     * The result column a time index is read from: {@code timeColumn} by name (exact, then ignoring case), which must
     * be a timestamp or date, or an int/bigint epoch; without it the first timestamp/date column (an epoch column
     * is used only when named). Errors say what {@code needs} it.
     */
    static int timeColumn(ColumnDefinitions defs, String timeColumn, String needs, String noneHint) {
        int time = -1;
        if (timeColumn != null) {
            for (int i = 0; i < defs.size() && time < 0; i++) {
                if (name(defs, i).equals(timeColumn)) {
                    time = i;
                }
            }
            for (int i = 0; i < defs.size() && time < 0; i++) {
                if (name(defs, i).equalsIgnoreCase(timeColumn)) {
                    time = i;
                }
            }
            if (time < 0) {
                throw QueryException.badRequest("query option timeColumn: the result has no column '" + timeColumn + "' (columns: "
                        + describe(defs) + ")");
            }
            if (!CqlTypes.canBeTime(defs.get(time).getType())) {
                throw QueryException.badRequest("query option timeColumn: column '" + name(defs, time) + "' is a "
                        + defs.get(time).getType().asCql(false, true) + "; " + needs + " needs a timestamp or date column,"
                        + " or an int/bigint epoch (a timeuuid converts with toTimestamp(" + name(defs, time) + "))");
            }
            return time;
        }
        for (int i = 0; i < defs.size(); i++) {
            if (CqlTypes.fieldType(defs.get(i).getType()) == FieldType.TIME) {
                return i;
            }
        }
        throw QueryException.badRequest(needs + " needs a timestamp or date column, and the result has none (columns: "
                + describe(defs) + ")" + noneHint);
    }

    // ---- stream (Live) layout

    static final String TIMESERIES_LONG = "timeseries-long";

    /**
     * What a stream reads: for {@code table} every column, for {@code time_series} the time-series columns (time
     * first); in both the time column is required (rows with a null time are left out), since the tail follows it.
     */
    static ResultReader.Plan streamPlan(ColumnDefinitions defs, QueryModel model) {
        if (model.format() == QueryModel.Format.TIME_SERIES) {
            return timeSeriesPlan(defs, model.timeColumn());
        }
        int time = timeColumn(defs, model.timeColumn(), "a stream (stream: true)",
                "; the stream follows that column to find new rows (toTimestamp() converts a timeuuid)");
        return new ResultReader.Plan(ResultReader.Plan.all(defs).columns(), time);
    }

    /** The field of a stream frame holding its time: the plan's required column. */
    static int timeField(ResultReader.Plan plan) {
        int[] cols = plan.columns();
        for (int k = 0; k < cols.length; k++) {
            if (cols[k] == plan.requiredColumn()) {
                return k;
            }
        }
        throw new IllegalStateException("the plan reads no time column");
    }

    /**
     * A stream's frame: the rows as read (no long-to-wide conversion, so that every later packet of new rows has
     * exactly this frame's fields and appends to it in the browser). {@code table} keeps its table meta;
     * {@code time_series} is declared {@code timeseries-long}, which Grafana's time series panel splits into one
     * series per label set itself. The alias names the value fields only when there are no label columns (with
     * labels, one field holds every series, so no single name fits).
     */
    static Frame stream(ResultReader.Result r, QueryModel model, FrameMeta meta) {
        if (model.format() == QueryModel.Format.TABLE) {
            return r.frame().withMeta(meta.withPreferredVisualisation("table"));
        }
        Frame f = r.frame().withMeta(meta.withType(TIMESERIES_LONG, 0, 1));
        boolean labels = false;
        for (Field x : f.fields()) {
            labels |= x.type() == FieldType.STRING || x.type() == FieldType.BOOL;
        }
        if (model.alias() != null && !labels) {
            return f.withFieldConfig(x -> !x.type().isNumeric() ? x.config()
                    : orEmpty(x.config()).withDisplayNameFromDS(alias(model.alias(), x.name(), Map.of())));
        }
        return f;
    }

    /**
     * The wide time series of what was read; with {@code timeGroup}, the rows of each series are first grouped into
     * buckets of that step ({@code $__interval}: {@code intervalMs}) and their values aggregated ({@link TimeGroup}).
     */
    static Frame timeSeries(ResultReader.Result r, QueryModel model, FrameMeta meta, long intervalMs) {
        Frame longFrame = r.frame();
        if (model.timeGroup() != null && r.rows() > 0) {
            try {
                Frame grouped = TimeGroup.apply(longFrame, model.timeGroup().nanos(intervalMs), model.aggregate());
                longFrame.close();
                longFrame = grouped;
            } catch (RuntimeException | Error e) {
                longFrame.close();
                throw e;
            }
        }
        return wideTimeSeries(longFrame, r.rows() == 0, model, meta);
    }

    /**
     * The wide time series of a long frame (already grouped, if at all: the node may have grouped it, see
     * {@link TimeGroupOnNode}); closes {@code longFrame}.
     */
    static Frame wideTimeSeries(Frame longFrame, boolean empty, QueryModel model, FrameMeta meta) {
        Frame wide;
        try {
            wide = empty ? emptyWide(longFrame) : LongToWide.convert(longFrame, fillMode(model));
        } finally {
            longFrame.close();
        }
        wide = wide.withMeta(meta.withType(FrameMeta.TIMESERIES_WIDE, 0, 1));
        if (model.alias() != null) {
            return wide.withFieldConfig(f -> f.type() == FieldType.TIME ? f.config()
                    : orEmpty(f.config()).withDisplayNameFromDS(alias(model.alias(), f.name(), f.labels())));
        }
        return wide;
    }

    private static FieldConfig orEmpty(FieldConfig c) {
        return c == null ? FieldConfig.EMPTY : c;
    }

    /** No rows: the time field and one float64 field per value column, typed, empty, no labels. */
    private static Frame emptyWide(Frame longFrame) {
        Frame wide = new Frame(longFrame.name());
        try {
            for (Field f : longFrame.fields()) {
                if (f == longFrame.field(0)) {
                    wide.addField(f.name(), FieldType.TIME, false);
                } else if (f.type().isNumeric()) {
                    wide.addField(f.name(), FieldType.FLOAT64, true);
                }
            }
        } catch (RuntimeException e) {
            wide.close();
            throw e;
        }
        return wide;
    }

    static FillMode fillMode(QueryModel m) {
        return switch (m.fill()) {
            case NONE -> FillMode.NONE;
            case NULL -> FillMode.NULL;
            case PREVIOUS -> FillMode.PREVIOUS;
            case VALUE -> FillMode.value(m.fillValue());
        };
    }

    /**
     * Renders a display-name template: {@code {{column}}} is the value column's name, {@code {{name}}} the value
     * of label {@code name} (empty when the series has no such label, as in Prometheus legends).
     */
    static String alias(String template, String column, Map<String, String> labels) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("{{", i);
            int close = open < 0 ? -1 : template.indexOf("}}", open + 2);
            if (close < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open);
            String key = template.substring(open + 2, close).trim();
            out.append(key.equals("column") ? column : labels.getOrDefault(key, ""));
            i = close + 2;
        }
        return out.toString();
    }

    private static String name(ColumnDefinitions defs, int i) {
        return defs.get(i).getName().asInternal();
    }

    private static String describe(ColumnDefinitions defs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < defs.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(name(defs, i)).append(' ').append(defs.get(i).getType().asCql(false, true));
        }
        return sb.toString();
    }
}
