package io.opencql.cql.internal.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.data.TimeGroup;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the query editor sends for one query (README "Query model" is the contract: key names and defaults,
 * declared in {@link QueryKey}).
 * Unknown keys (refId, datasource, intervalMs, hide, …) are ignored; a known key of the wrong type is a 400
 * naming the key.
 *
 * @param cql              the CQL text, macros not yet expanded; never blank
 * @param format           the result shape
 * @param timeColumn       the time index for {@code time_series}, or null for the first timestamp/date column
 * @param alias            the display-name template, or null
 * @param fill             how {@code time_series} fills missing cells
 * @param fillValue        the value for {@link Fill#VALUE}
 * @param rowLimit         the query's own row limit, or 0 for none (the data source's applies)
 * @param stream           answer with a Live channel and tail new rows
 * @param streamIntervalMs how often a stream polls
 * @param timeGroup        the bucket {@code time_series} rows are grouped into, or null for no grouping
 * @param aggregate        how the values of a bucket are combined
 * @param timeGroupOnNode  let the node group by time where it can (false: always group in the plugin, for debugging)
 */
public record QueryModel(String cql, Format format, String timeColumn, String alias, Fill fill, double fillValue,
                         long rowLimit, boolean stream, long streamIntervalMs, Step timeGroup, TimeGroup.Aggregate aggregate,
                         boolean timeGroupOnNode) {

    /** A model that lets the node group by time where it can (the default). */
    public QueryModel(String cql, Format format, String timeColumn, String alias, Fill fill, double fillValue,
                      long rowLimit, boolean stream, long streamIntervalMs, Step timeGroup, TimeGroup.Aggregate aggregate) {
        this(cql, format, timeColumn, alias, fill, fillValue, rowLimit, stream, streamIntervalMs, timeGroup, aggregate, true);
    }

    /** A time-group bucket: {@code ms} milliseconds, or 0 for the query's interval ({@code $__interval}). */
    public record Step(long ms) {
        public long nanos(long intervalMs) {
            return (ms > 0 ? ms : Math.max(1, intervalMs)) * 1_000_000L;
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");

    public static final long DEFAULT_STREAM_INTERVAL_MS = QueryKey.STREAM_INTERVAL_MS.defaultValue(Long.class);
    public static final long MIN_STREAM_INTERVAL_MS = QueryKey.STREAM_INTERVAL_MS.minimum();

    public enum Format { TABLE, TIME_SERIES }

    public enum Fill { NONE, NULL, PREVIOUS, VALUE }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws QueryException 400 naming the key at fault
     */
    public static QueryModel parse(DataQuery query) {
        return parse(query.json());
    }

    public static QueryModel parse(byte[] json) {
        JsonNode root;
        try {
            root = json.length == 0 ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw QueryException.badRequest("the query is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw QueryException.badRequest("the query is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw QueryException.badRequest("the query must be a JSON object");
        }
        String cql = text(root, "cql");
        if (cql == null || cql.isBlank()) {
            throw QueryException.badRequest("the query has no CQL (key cql)");
        }
        long rowLimit = integer(root, "rowLimit", 0);
        if (root.hasNonNull("rowLimit") && rowLimit < 1) {
            throw QueryException.badRequest("query key 'rowLimit': must be at least 1, got " + rowLimit);
        }
        long interval = integer(root, "streamIntervalMs", DEFAULT_STREAM_INTERVAL_MS);
        if (interval < MIN_STREAM_INTERVAL_MS) {
            throw QueryException.badRequest("query key 'streamIntervalMs': must be at least " + MIN_STREAM_INTERVAL_MS + ", got " + interval);
        }
        String timeColumn = text(root, "timeColumn");
        String alias = text(root, "alias");
        return new QueryModel(
                cql,
                format(root.get("format")),
                timeColumn == null || timeColumn.isBlank() ? null : timeColumn.trim(),
                alias == null || alias.isEmpty() ? null : alias,
                fill(root),
                number(root, "fillValue", QueryKey.FILL_VALUE.defaultValue(Double.class)),
                rowLimit,
                bool(root, "stream", QueryKey.STREAM.defaultValue(Boolean.class)),
                interval,
                timeGroup(text(root, "timeGroup")),
                aggregate(text(root, "aggregate")),
                bool(root, "timeGroupOnNode", QueryKey.TIME_GROUP_ON_NODE.defaultValue(Boolean.class)));
    }

    private static Step timeGroup(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String s = v.trim();
        if (s.equals("$__interval") || s.equals("${__interval}") || s.equalsIgnoreCase("auto")) {
            return new Step(0);
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw QueryException.badRequest("query key 'timeGroup': \"" + v + "\" is not a duration such as 500ms, 30s, 5m, 1h, 1d"
                    + " or $__interval");
        }
        long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> 7 * 86_400_000L;
        };
        long ms = Long.parseLong(m.group(1)) * unit;
        if (ms > Long.MAX_VALUE / 1_000_000L) { // the step in nanoseconds must fit Grafana's int64 times
            throw QueryException.badRequest("query key 'timeGroup': \"" + v + "\" is longer than the 292 years Grafana's times span");
        }
        return new Step(ms);
    }

    private static TimeGroup.Aggregate aggregate(String v) {
        if (v == null || v.isBlank()) {
            return QueryKey.AGGREGATE.defaultValue(TimeGroup.Aggregate.class);
        }
        try {
            return TimeGroup.Aggregate.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw QueryException.badRequest("query key 'aggregate': \"" + v + "\" is not one of avg, min, max, sum, count, first, last");
        }
    }

    private static Format format(JsonNode v) {
        if (v == null || v.isNull()) {
            return QueryKey.FORMAT.defaultValue(Format.class);
        }
        if (v.isIntegralNumber()) {
            // sqlds' numeric FormatQueryOption
            switch (v.asInt()) {
                case 0: return Format.TIME_SERIES;
                case 1: return Format.TABLE;
                default: throw QueryException.badRequest("query key 'format': " + v.asInt()
                        + " is not supported; use \"table\" (1) or \"time_series\" (0)");
            }
        }
        if (v.isTextual()) {
            switch (v.asText().trim().toLowerCase(Locale.ROOT)) {
                case "": return QueryKey.FORMAT.defaultValue(Format.class);
                case "table": return Format.TABLE;
                case "time_series": case "timeseries": return Format.TIME_SERIES;
                default: throw QueryException.badRequest("query key 'format': \"" + v.asText()
                        + "\" is not supported; use \"table\" or \"time_series\"");
            }
        }
        throw wrongType("format", "\"table\" or \"time_series\"", v);
    }

    private static Fill fill(JsonNode root) {
        String f = text(root, "fill");
        if (f == null || f.isBlank()) {
            return QueryKey.FILL.defaultValue(Fill.class);
        }
        try {
            return Fill.valueOf(f.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw QueryException.badRequest("query key 'fill': \"" + f + "\" is not one of none, null, previous, value");
        }
    }

    private static String text(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(key, "a string", v);
        }
        return v.asText();
    }

    private static long integer(JsonNode root, String key, long dflt) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 9.0e15) {
            return (long) v.asDouble(); // JavaScript sends 100 as 100 but sometimes 100.0
        }
        throw wrongType(key, "a whole number", v);
    }

    private static double number(JsonNode root, String key, double dflt) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw wrongType(key, "a number", v);
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode root, String key, boolean dflt) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw wrongType(key, "true or false", v);
        }
        return v.asBoolean();
    }

    private static QueryException wrongType(String key, String expected, JsonNode got) {
        return QueryException.badRequest("query key '" + key + "': expected " + expected + ", got " + got.getNodeType()
                .name().toLowerCase(Locale.ROOT) + " " + abbreviate(got.toString()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
