package io.opencql.cql.internal.query;

import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.grafana.backend.TimeRange;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Grafana-style macros in CQL text: a pure function of the text, the query's time range and its interval.
 * One pass over the text; macros are looked up in one table by name. Text inside string literals, quoted
 * identifiers and comments is left alone. An unknown or malformed macro is an error naming it (never left in
 * the text for the node to reject with a confusing syntax error).
 *
 * <p>Times are UTC epoch milliseconds, bare integers, which CQL accepts as {@code timestamp} literals.
 */
final class Macros {

    /** At most this many values from one {@code $__timeBuckets}: more would make a huge {@code IN} list. */
    public static final int MAX_BUCKETS = 1000;

    private static final String PREFIX = "$__";

    /** What a macro expands against. {@code range} may be null (no time range in the request). */
    record Context(TimeRange range, long intervalMs) {
        long fromMs(String macro) {
            return need(macro).fromEpochMs();
        }

        long toMs(String macro) {
            return need(macro).toEpochMs();
        }

        private TimeRange need(String macro) {
            if (range == null) {
                throw QueryException.badRequest("macro " + PREFIX + macro + " needs the query's time range, and the request has none");
            }
            return range;
        }
    }

    @FunctionalInterface
    private interface Expander {
        String expand(Macro m, List<String> args, Context ctx);
    }

    /**
     * One macro: its name (after {@code $__}), how many arguments it takes, whether it may be written without
     * parentheses ({@code $__timeFrom} as well as {@code $__timeFrom()}), and its usage for error messages.
     */
    private record Macro(String name, int minArgs, int maxArgs, boolean bareAllowed, String usage, Expander fn) {
    }

    private static final Map<String, Macro> TABLE = table(
            new Macro("timeFrom", 0, 0, true, "$__timeFrom or $__timeFrom()", (m, a, c) -> Long.toString(c.fromMs(m.name))),
            new Macro("timeTo", 0, 0, true, "$__timeTo or $__timeTo()", (m, a, c) -> Long.toString(c.toMs(m.name))),
            // Grafana's own global variables, expanded here too so alert rules (no frontend) behave the same
            new Macro("from", 0, 0, true, "$__from", (m, a, c) -> Long.toString(c.fromMs(m.name))),
            new Macro("to", 0, 0, true, "$__to", (m, a, c) -> Long.toString(c.toMs(m.name))),
            new Macro("timeFilter", 1, 1, false, "$__timeFilter(column)",
                    (m, a, c) -> a.get(0) + " >= " + c.fromMs(m.name) + " AND " + a.get(0) + " <= " + c.toMs(m.name)),
            new Macro("unixEpochFrom", 0, 0, true, "$__unixEpochFrom()", (m, a, c) -> Long.toString(seconds(c.fromMs(m.name)))),
            new Macro("unixEpochTo", 0, 0, true, "$__unixEpochTo()", (m, a, c) -> Long.toString(seconds(c.toMs(m.name)))),
            new Macro("unixEpochFilter", 1, 1, false, "$__unixEpochFilter(column)",
                    (m, a, c) -> a.get(0) + " >= " + seconds(c.fromMs(m.name)) + " AND " + a.get(0) + " <= " + seconds(c.toMs(m.name))),
            new Macro("interval", 0, 0, true, "$__interval", (m, a, c) -> formatInterval(c.intervalMs)),
            new Macro("interval_ms", 0, 0, true, "$__interval_ms", (m, a, c) -> Long.toString(c.intervalMs)),
            new Macro("timeBuckets", 1, 3, false, "$__timeBuckets(day|hour|month[, 'pattern'[, number]])", Macros::timeBuckets));

    private Macros() {
    }

    private static Map<String, Macro> table(Macro... macros) {
        Map<String, Macro> m = new LinkedHashMap<>();
        for (Macro x : macros) {
            m.put(x.name, x);
        }
        return Map.copyOf(m);
    }

    /** The names this class expands, with their {@code $__} prefix (for documentation and editors). */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (String n : TABLE.keySet()) {
            out.add(PREFIX + n);
        }
        out.sort(null);
        return out;
    }

    /**
     * Expands every macro in {@code cql}.
     *
     * @throws QueryException (400) naming the macro when one is unknown or malformed
     */
    public static String expand(String cql, TimeRange range, long intervalMs) {
        if (cql.indexOf(PREFIX) < 0) {
            return cql; // the common case: nothing to do, no copy
        }
        Context ctx = new Context(range, intervalMs);
        StringBuilder out = new StringBuilder(cql.length() + 64);
        int n = cql.length();
        int i = 0;
        while (i < n) {
            int skip = CqlLexer.skipNonCode(cql, i);
            if (skip > 0) {
                out.append(cql, i, skip);
                i = skip;
            } else if (cql.startsWith(PREFIX, i)) {
                i = expandOne(cql, i, ctx, out);
            } else {
                out.append(cql.charAt(i++));
            }
        }
        return out.toString();
    }

    /** Expands the macro at {@code start} into {@code out}; returns the index after it. */
    private static int expandOne(String s, int start, Context ctx, StringBuilder out) {
        int nameStart = start + PREFIX.length();
        int i = nameStart;
        while (i < s.length() && CqlLexer.isIdentifierChar(s.charAt(i))) {
            i++;
        }
        String name = s.substring(nameStart, i);
        Macro m = TABLE.get(name);
        if (m == null) {
            throw QueryException.badRequest(unknown(name));
        }
        List<String> args;
        if (i < s.length() && s.charAt(i) == '(') {
            int close = closingParen(s, i);
            if (close < 0) {
                throw QueryException.badRequest("macro " + PREFIX + name + ": missing closing parenthesis; write " + m.usage);
            }
            args = splitArgs(s.substring(i + 1, close));
            i = close + 1;
        } else if (m.bareAllowed) {
            args = List.of();
        } else {
            throw QueryException.badRequest("macro " + PREFIX + name + ": missing parenthesis; write " + m.usage);
        }
        if (args.size() < m.minArgs || args.size() > m.maxArgs) {
            String what = args.size() < m.minArgs ? "missing argument" : "too many arguments";
            throw QueryException.badRequest("macro " + PREFIX + name + ": " + what + "; write " + m.usage
                    + (name.equals("timeFrom") || name.equals("timeTo") ? " (for a filter on a column use $__timeFilter(column))" : ""));
        }
        for (String a : args) {
            if (a.isEmpty()) {
                throw QueryException.badRequest("macro " + PREFIX + name + ": missing argument (empty); write " + m.usage);
            }
        }
        out.append(m.fn.expand(m, args, ctx));
        return i;
    }

    private static String unknown(String name) {
        StringBuilder msg = new StringBuilder("unknown macro " + PREFIX + name);
        for (String known : TABLE.keySet()) {
            if (known.equalsIgnoreCase(name)) {
                msg.append("; did you mean ").append(PREFIX).append(known).append("?");
                return msg.toString();
            }
        }
        msg.append("; known macros: ").append(String.join(", ", names()));
        return msg.toString();
    }

    /** Index of the parenthesis closing the one at {@code open}, skipping quotes and nested pairs; -1 if none. */
    private static int closingParen(String s, int open) {
        int depth = 0;
        int i = open;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = CqlLexer.skipNonCode(s, i);
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Top-level comma-separated arguments, trimmed; {@code ()} has none. */
    private static List<String> splitArgs(String inner) {
        if (inner.isBlank()) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        int depth = 0;
        int from = 0;
        int i = 0;
        while (i < inner.length()) {
            char c = inner.charAt(i);
            if (c == '\'' || c == '"') {
                i = CqlLexer.skipNonCode(inner, i);
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                args.add(inner.substring(from, i).trim());
                from = i + 1;
            }
            i++;
        }
        args.add(inner.substring(from).trim());
        return args;
    }

    private static long seconds(long ms) {
        return Math.floorDiv(ms, 1000L);
    }

    /**
     * Grafana's interval text ({@code gtime.FormatInterval}): the largest whole unit of y, d, h, m, s, ms
     * (truncating: 90 s is {@code 1m}), at least {@code 1ms}. Each is also a valid CQL duration literal.
     */
    static String formatInterval(long ms) {
        long[] unitMs = {365L * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] unit = {"y", "d", "h", "m", "s", "ms"};
        for (int k = 0; k < unitMs.length; k++) {
            if (ms >= unitMs[k]) {
                return (ms / unitMs[k]) + unit[k];
            }
        }
        return "1ms";
    }

    // ---- $__timeBuckets

    private enum BucketUnit {
        DAY(ChronoUnit.DAYS, "yyyy-MM-dd"),                // a CQL date literal
        HOUR(ChronoUnit.HOURS, "yyyy-MM-dd HH:mm:ssZ"),    // a CQL timestamp literal
        MONTH(ChronoUnit.MONTHS, "yyyy-MM");

        final ChronoUnit unit;
        final String defaultPattern;

        BucketUnit(ChronoUnit unit, String defaultPattern) {
            this.unit = unit;
            this.defaultPattern = defaultPattern;
        }
    }

    private static String timeBuckets(Macro m, List<String> args, Context ctx) {
        String prefix = "macro " + PREFIX + m.name + ": ";
        BucketUnit unit;
        try {
            unit = BucketUnit.valueOf(args.get(0).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw QueryException.badRequest(prefix + "unknown unit '" + args.get(0) + "'; write " + m.usage);
        }
        String pattern = unit.defaultPattern;
        if (args.size() > 1) {
            String p = args.get(1);
            if (p.length() < 2 || p.charAt(0) != '\'' || p.charAt(p.length() - 1) != '\'') {
                throw QueryException.badRequest(prefix + "the pattern must be a quoted string such as 'yyyyMMdd', got " + p);
            }
            pattern = p.substring(1, p.length() - 1).replace("''", "'");
        }
        // number: bare values for an int/bigint bucket column (20240501), checked to be whole numbers
        boolean number = args.size() > 2;
        if (number && !args.get(2).equalsIgnoreCase("number")) {
            throw QueryException.badRequest(prefix + "the third argument can only be number (unquoted values), got " + args.get(2));
        }
        DateTimeFormatter fmt;
        try {
            fmt = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw QueryException.badRequest(prefix + "invalid pattern '" + pattern + "': " + e.getMessage());
        }
        ZonedDateTime from = truncate(Instant.ofEpochMilli(ctx.fromMs(m.name)).atZone(ZoneOffset.UTC), unit);
        ZonedDateTime to = Instant.ofEpochMilli(ctx.toMs(m.name)).atZone(ZoneOffset.UTC);
        long count = from.isAfter(to) ? 0 : unit.unit.between(from, truncate(to, unit)) + 1;
        if (count > MAX_BUCKETS) {
            throw QueryException.badRequest(prefix + "the time range covers " + count + " " + unit.name().toLowerCase(Locale.ROOT)
                    + " buckets, more than " + MAX_BUCKETS + "; pick a shorter time range or a coarser unit");
        }
        StringBuilder out = new StringBuilder((int) count * (pattern.length() + 4));
        ZonedDateTime t = from;
        for (long k = 0; k < count; k++) {
            if (k > 0) {
                out.append(", ");
            }
            String v;
            try {
                v = fmt.format(t);
            } catch (DateTimeException e) {
                throw QueryException.badRequest(prefix + "invalid pattern '" + pattern + "': " + e.getMessage());
            }
            if (!number) {
                out.append('\'').append(v.replace("'", "''")).append('\'');
            } else if (v.matches("-?\\d{1,18}")) {
                out.append(v);
            } else {
                throw QueryException.badRequest(prefix + "pattern '" + pattern + "' gives " + v + ", which is not a whole number;"
                        + " with number, use digits only, such as 'yyyyMMdd'");
            }
            t = t.plus(1, unit.unit);
        }
        return out.toString();
    }

    private static ZonedDateTime truncate(ZonedDateTime t, BucketUnit unit) {
        return unit == BucketUnit.MONTH ? t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1) : t.truncatedTo(unit.unit);
    }
}
