package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.TimeGroup;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a {@code timeGroup} query can be grouped by the node ({@code GROUP BY <partition key>,
 * floor(<time>, <step>)}, Cassandra 5.0+) with a result identical to the plugin's own grouping ({@link TimeGroup}),
 * and writes that statement. A pure function of the expanded CQL, the table's shape, the aggregate and the step; the
 * caller knows whether the node can group by time at all ({@link TimeGroupCapability}).
 *
 * <p>The plugin groups the rows of each series (its STRING/BOOL columns) by bucket; the node groups by partition and
 * bucket. They agree when every label column is a partition-key column and the time column is the first clustering
 * column. A partition-key column that is not selected merges several partitions into one series in the plugin; the
 * node then returns one row per partition and bucket, which {@link NodeTimeGroups} merges (exactly for min, max and
 * count; for sum and avg a bucket seen in two partitions sends the query back to the plugin, since adding partial sums
 * rounds differently from adding the rows one by one).
 *
 * <p>What the node computes, per value column: {@code count(v)} always (a bucket whose values are all null must stay
 * null, and {@code count} is the answer itself for {@code aggregate: count}); {@code sum(cast(v AS double))} for sum
 * and avg (the plugin divides, so an int column is not averaged in integer arithmetic as the node's {@code avg}
 * would); {@code min}/{@code max} of {@code cast(v AS double)}; a double column needs no cast. {@code first}/{@code last} have no CQL aggregate.
 *
 * <p>{@code floor()} inside GROUP BY fails as a ReadFailure (not a clear InvalidRequest) when a row's time lies before
 * its start (the epoch), so the plan requires a lower bound on the time column at or after 1970 in the WHERE clause
 * ({@code $__timeFilter} gives one); the step is at least 1 ms by construction.
 */
final class TimeGroupPlanner {

    /** The table's key columns and every column's type (internal names). */
    record TableShape(List<String> partitionKey, List<String> clustering, Map<String, DataType> types) {
    }

    /** What the planner decided: {@link Pushdown} or {@link Fallback}. */
    sealed interface Decision permits Pushdown, Fallback {
    }

    /** Group in the plugin, for {@code reason}. */
    record Fallback(String reason) implements Decision {
    }

    /**
     * Group on the node with {@code cql}, whose result columns are: the bucket, the label columns, then per value
     * column its aggregate (absent for count) and its count.
     *
     * @param timeName  the time field's name (as the plugin's grouping names it)
     * @param dimNames  the label fields' names
     * @param values    per value field, its name and result columns
     * @param merges    whether a series may span several partitions (rows of one bucket then need merging)
     * @param stepMs    the bucket
     */
    record Pushdown(String cql, String timeName, List<String> dimNames, List<ValueColumn> values,
                    TimeGroup.Aggregate aggregate, boolean merges, long stepMs) implements Decision {
    }

    /** @param aggregateColumn the result column of the aggregate, -1 for count (the count column is the answer) */
    record ValueColumn(String name, int aggregateColumn, int countColumn) {
    }

    private TimeGroupPlanner() {
    }

    /**
     * @param select     the expanded CQL parsed, or null when it is not a plain SELECT ({@link SimpleSelect})
     * @param table      the queried table, or null when it is unknown (a view, a typo: the plugin path reports it)
     * @param timeColumn query option timeColumn, or null
     * @param stepMs     the bucket, at least 1 ms
     */
    static Decision plan(SimpleSelect select, TableShape table, String timeColumn, TimeGroup.Aggregate aggregate, long stepMs) {
        if (aggregate == TimeGroup.Aggregate.FIRST || aggregate == TimeGroup.Aggregate.LAST) {
            return new Fallback("aggregate " + aggregate.wire() + " has no CQL aggregate function");
        }
        if (select == null) {
            return new Fallback("not a plain SELECT of columns (functions, *, LIMIT, GROUP BY, ALLOW FILTERING, token())");
        }
        if (table == null) {
            return new Fallback("table " + select.table() + " is not in the driver's schema metadata");
        }
        if (stepMs < 1) {
            return new Fallback("floor() needs a step of at least 1 ms");
        }
        List<SimpleSelect.Column> cols = select.columns();
        Set<String> names = new HashSet<>();
        Set<String> labels = new HashSet<>();
        for (SimpleSelect.Column c : cols) {
            if (!table.types().containsKey(c.name())) {
                return new Fallback("column " + c.name() + " is not in table " + select.table());
            }
            if (!names.add(c.name()) || !labels.add(c.label())) {
                return new Fallback("column " + c.name() + " is selected twice");
            }
        }
        int time = timeIndex(cols, table, timeColumn);
        if (time < 0) {
            return new Fallback("no timestamp column to group by");
        }
        SimpleSelect.Column timeCol = cols.get(time);
        if (!DataTypes.TIMESTAMP.equals(table.types().get(timeCol.name()))) {
            return new Fallback("time column " + timeCol.name() + " is not a timestamp");
        }
        if (table.clustering().isEmpty() || !table.clustering().get(0).equals(timeCol.name())) {
            return new Fallback("time column " + timeCol.name() + " is not the table's first clustering column");
        }
        List<SimpleSelect.Column> dims = new ArrayList<>();
        List<SimpleSelect.Column> values = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            if (i == time) {
                continue;
            }
            SimpleSelect.Column c = cols.get(i);
            FieldType ft = CqlTypes.fieldType(table.types().get(c.name()));
            boolean key = table.partitionKey().contains(c.name());
            if (ft.isNumeric()) {
                if (key) {
                    return new Fallback("numeric partition-key column " + c.name() + " would be aggregated");
                }
                values.add(c);
            } else if (ft == FieldType.STRING || ft == FieldType.BOOL) {
                if (!key) {
                    return new Fallback("label column " + c.name() + " is not a partition-key column");
                }
                dims.add(c);
            } // further times, JSON: the plugin does not read them either
        }
        if (values.isEmpty()) {
            return new Fallback("no numeric value column");
        }
        Restrictions r = restrictions(select, table, timeCol.name());
        if (r.problem != null) {
            return new Fallback(r.problem);
        }
        if (!select.orderBy().isEmpty() && !r.singlePartition) {
            return new Fallback("ORDER BY across partitions interleaves the rows of several series");
        }
        Set<String> dimNames = new HashSet<>();
        dims.forEach(d -> dimNames.add(d.name()));
        boolean merges = false;
        for (String k : table.partitionKey()) {
            merges |= !dimNames.contains(k) && !r.equalKeys.contains(k);
        }

        String floor = "floor(" + timeCol.source() + ", " + duration(stepMs) + ")";
        StringBuilder cql = new StringBuilder("SELECT ").append(floor);
        for (SimpleSelect.Column d : dims) {
            cql.append(", ").append(d.source());
        }
        int column = 1 + dims.size();
        List<ValueColumn> out = new ArrayList<>();
        for (SimpleSelect.Column v : values) {
            int agg = -1;
            // a double column as it is (the same aggregate class on the node, one function call less per row)
            String cast = DataTypes.DOUBLE.equals(table.types().get(v.name())) ? v.source() : "cast(" + v.source() + " AS double)";
            switch (aggregate) {
                case SUM, AVG -> cql.append(", sum(").append(cast).append(')');
                case MIN -> cql.append(", min(").append(cast).append(')');
                case MAX -> cql.append(", max(").append(cast).append(')');
                default -> { }
            }
            if (aggregate != TimeGroup.Aggregate.COUNT) {
                agg = column++;
            }
            cql.append(", count(").append(v.source()).append(')');
            out.add(new ValueColumn(v.label(), agg, column++));
        }
        cql.append(" FROM ").append(select.table()).append(" WHERE ").append(select.where()).append(" GROUP BY ");
        for (String k : table.partitionKey()) {
            cql.append(CqlIdentifier.fromInternal(k).asCql(true)).append(", ");
        }
        cql.append(floor);
        if (!select.orderBy().isEmpty()) {
            cql.append(" ORDER BY ").append(select.orderBy());
        }
        return new Pushdown(cql.toString(), timeCol.label(), dims.stream().map(SimpleSelect.Column::label).toList(), out,
                aggregate, merges, stepMs);
    }

    /** The time column as the plugin picks it ({@link ResultShapes#timeColumn}): by name, else the first timestamp/date. */
    private static int timeIndex(List<SimpleSelect.Column> cols, TableShape table, String timeColumn) {
        if (timeColumn != null) {
            for (int i = 0; i < cols.size(); i++) {
                if (cols.get(i).label().equals(timeColumn)) {
                    return i;
                }
            }
            for (int i = 0; i < cols.size(); i++) {
                if (cols.get(i).label().equalsIgnoreCase(timeColumn)) {
                    return i;
                }
            }
            return -1;
        }
        for (int i = 0; i < cols.size(); i++) {
            if (CqlTypes.fieldType(table.types().get(cols.get(i).name())) == FieldType.TIME) {
                return i;
            }
        }
        return -1;
    }

    /** What the WHERE clause restricts, or the reason it does not fit. */
    private static final class Restrictions {
        String problem;
        boolean singlePartition = true;
        final Set<String> equalKeys = new HashSet<>();
    }

    private static Restrictions restrictions(SimpleSelect select, TableShape table, String time) {
        Restrictions r = new Restrictions();
        Set<String> restricted = new HashSet<>();
        boolean lowerBound = false;
        for (SimpleSelect.Relation rel : select.relations()) {
            if (table.partitionKey().contains(rel.column())) {
                if (!restricted.add(rel.column()) || !(rel.operator().equals("=") || rel.operator().equals("IN"))) {
                    r.problem = "partition-key column " + rel.column() + " is not restricted by one = or IN";
                    return r;
                }
                if (rel.operator().equals("=")) {
                    r.equalKeys.add(rel.column());
                } else {
                    r.singlePartition = false;
                }
            } else if (rel.column().equals(time)) {
                if (rel.operator().equals(">=") || rel.operator().equals(">") || rel.operator().equals("=")) {
                    long ms = timestampMs(rel.term());
                    lowerBound |= ms >= 0;
                }
            } else {
                r.problem = "the WHERE clause restricts column " + rel.column() + ", which is neither partition key nor time";
                return r;
            }
        }
        for (String k : table.partitionKey()) {
            if (!restricted.contains(k)) {
                r.problem = "partition-key column " + k + " is not restricted by = or IN";
                return r;
            }
        }
        if (!lowerBound) {
            // floor(t, step) with its default start (the epoch) fails on the node as a ReadFailure for earlier times
            r.problem = "no lower bound on " + time + " at or after 1970-01-01 (e.g. $__timeFilter(" + time + "))";
        }
        return r;
    }

    private static final DateTimeFormatter CQL_TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendPattern("HH:mm").optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd().optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter();

    /** A timestamp literal's epoch milliseconds (a number, or a quoted date-time); -1 when it is neither or before 1970. */
    static long timestampMs(String term) {
        String t = term.trim();
        try {
            if (t.matches("\\d{1,18}")) {
                return Long.parseLong(t);
            }
            if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
                String s = t.substring(1, t.length() - 1).trim();
                var parsed = CQL_TIMESTAMP.parseBest(s, OffsetDateTime::from, java.time.LocalDateTime::from, java.time.LocalDate::from);
                // without an offset the node reads the literal in its own time zone: a day's margin covers any zone
                Instant at = parsed instanceof OffsetDateTime o ? o.toInstant()
                        : parsed instanceof java.time.LocalDateTime l ? l.toInstant(java.time.ZoneOffset.UTC).minusSeconds(86_400)
                        : ((java.time.LocalDate) parsed).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().minusSeconds(86_400);
                return at.toEpochMilli();
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The step as a CQL duration literal in its largest whole unit (1d, 5m, 1500ms): what the inspector shows. */
    static String duration(long ms) {
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return (ms / units[i]) + names[i];
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
