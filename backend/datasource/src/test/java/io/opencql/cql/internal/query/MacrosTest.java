package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.grafana.backend.TimeRange;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MacrosTest {

    // 2024-01-02T03:04:05.678Z .. 2024-01-04T10:00:00.999Z
    static final long FROM = Instant.parse("2024-01-02T03:04:05.678Z").toEpochMilli();
    static final long TO = Instant.parse("2024-01-04T10:00:00.999Z").toEpochMilli();
    static final TimeRange RANGE = new TimeRange(FROM, TO);

    static String expand(String cql) {
        return Macros.expand(cql, RANGE, 30_000);
    }

    static String error(String cql) {
        QueryException e = assertThrows(QueryException.class, () -> expand(cql));
        assertEquals(400, e.status());
        assertEquals("downstream", e.source().wire());
        return e.getMessage();
    }

    @Test
    void textWithoutMacrosIsReturnedAsIs() {
        String cql = "SELECT * FROM t WHERE a = 'x'";
        assertSame(cql, Macros.expand(cql, RANGE, 1000));
    }

    @Test
    void timeFromAndToAreEpochMillisWithOrWithoutParentheses() {
        assertEquals("ts >= 1704164645678 AND ts < 1704362400999",
                expand("ts >= $__timeFrom AND ts < $__timeTo"));
        assertEquals("ts >= 1704164645678 AND ts < 1704362400999",
                expand("ts >= $__timeFrom() AND ts < $__timeTo()"));
        assertEquals("1704164645678,1704362400999", expand("$__from,$__to"));
    }

    @Test
    void timeFilter() {
        assertEquals("SELECT * FROM t WHERE s = 1 AND ts >= 1704164645678 AND ts <= 1704362400999 LIMIT 5",
                expand("SELECT * FROM t WHERE s = 1 AND $__timeFilter(ts) LIMIT 5"));
        assertEquals("\"Ts\" >= 1704164645678 AND \"Ts\" <= 1704362400999", expand("$__timeFilter( \"Ts\" )"));
    }

    @Test
    void unixEpochMacrosAreSecondsRoundedDown() {
        assertEquals("1704164645 1704362400", expand("$__unixEpochFrom() $__unixEpochTo()"));
        assertEquals("1704164645 1704362400", expand("$__unixEpochFrom $__unixEpochTo"));
        assertEquals("e >= 1704164645 AND e <= 1704362400", expand("$__unixEpochFilter(e)"));
        // before 1970: floor, not truncation toward zero
        assertEquals("-2", Macros.expand("$__unixEpochFrom()", new TimeRange(-1500, 0), 0));
    }

    @Test
    void intervalIsGrafanaTextAndMilliseconds() {
        assertEquals("GROUP BY floor(ts, 30s) 30000", expand("GROUP BY floor(ts, $__interval) $__interval_ms"));
        assertEquals("5m", Macros.formatInterval(300_000));
        assertEquals("1m", Macros.formatInterval(90_000)); // Grafana truncates to the largest whole unit
        assertEquals("1h", Macros.formatInterval(3_600_000));
        assertEquals("2d", Macros.formatInterval(2 * 86_400_000L));
        assertEquals("1y", Macros.formatInterval(366 * 86_400_000L));
        assertEquals("250ms", Macros.formatInterval(250));
        assertEquals("1ms", Macros.formatInterval(0));
        assertEquals("0", Macros.expand("$__interval_ms", RANGE, 0));
    }

    @Test
    void timeBucketsDefaultDayPatternIsACqlDateLiteralList() {
        assertEquals("day IN ('2024-01-02', '2024-01-03', '2024-01-04')", expand("day IN ($__timeBuckets(day))"));
        assertEquals("'2024-01-02', '2024-01-03', '2024-01-04'", expand("$__timeBuckets(DAY)"));
    }

    @Test
    void timeBucketsWithPattern() {
        assertEquals("'20240102', '20240103', '20240104'", expand("$__timeBuckets(day, 'yyyyMMdd')"));
        assertEquals("20240102, 20240103, 20240104", expand("$__timeBuckets(day, 'yyyyMMdd', number)"));
        assertEquals("20240102, 20240103, 20240104", expand("$__timeBuckets(day, 'yyyyMMdd', NUMBER)"));
        // a quote inside the pattern is written doubled, as in any CQL string; the values are escaped back
        assertEquals("'2024-01-02T03', '2024-01-02T04'",
                Macros.expand("$__timeBuckets(hour, 'yyyy-MM-dd''T''HH')",
                        new TimeRange(Instant.parse("2024-01-02T03:59:59Z").toEpochMilli(), Instant.parse("2024-01-02T04:00:00Z").toEpochMilli()), 0));
        assertEquals("'it''s 2024'", Macros.expand("$__timeBuckets(month, '''it''''s'' yyyy')",
                new TimeRange(FROM, FROM), 0));
    }

    @Test
    void timeBucketsHourAndMonthDefaults() {
        TimeRange r = new TimeRange(Instant.parse("2024-01-31T22:30:00Z").toEpochMilli(), Instant.parse("2024-02-01T00:00:00Z").toEpochMilli());
        assertEquals("'2024-01-31 22:00:00+0000', '2024-01-31 23:00:00+0000', '2024-02-01 00:00:00+0000'",
                Macros.expand("$__timeBuckets(hour)", r, 0));
        assertEquals("'2024-01', '2024-02'", Macros.expand("$__timeBuckets(month)", r, 0));
    }

    @Test
    void timeBucketsBoundaries() {
        long midnight = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
        assertEquals("'2024-03-01'", Macros.expand("$__timeBuckets(day)", new TimeRange(midnight, midnight), 0));
        assertEquals("'2024-02-29', '2024-03-01'", Macros.expand("$__timeBuckets(day)", new TimeRange(midnight - 1, midnight), 0));
        assertEquals("", Macros.expand("$__timeBuckets(day)", new TimeRange(midnight, midnight - 86_400_001L), 0));
        // 1000 buckets is the most
        assertEquals(1000, Macros.expand("$__timeBuckets(day)", new TimeRange(midnight, midnight + 999 * 86_400_000L), 0).split(",").length);
    }

    @Test
    void timeBucketsCapSuggestsAShorterRange() {
        long t0 = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
        QueryException e = assertThrows(QueryException.class,
                () -> Macros.expand("$__timeBuckets(day)", new TimeRange(t0, t0 + 1000 * 86_400_000L), 0));
        assertEquals("macro $__timeBuckets: the time range covers 1001 day buckets, more than 1000; pick a shorter time range or a coarser unit",
                e.getMessage());
    }

    @Test
    void timeBucketsErrors() {
        assertEquals("macro $__timeBuckets: unknown unit 'week'; write $__timeBuckets(day|hour|month[, 'pattern'[, number]])",
                error("$__timeBuckets(week)"));
        assertEquals("macro $__timeBuckets: the pattern must be a quoted string such as 'yyyyMMdd', got yyyyMMdd",
                error("$__timeBuckets(day, yyyyMMdd)"));
        assertTrue(error("$__timeBuckets(day, 'yyyy-bb')").startsWith("macro $__timeBuckets: invalid pattern 'yyyy-bb': "));
        assertEquals("macro $__timeBuckets: missing argument; write $__timeBuckets(day|hour|month[, 'pattern'[, number]])",
                error("$__timeBuckets()"));
        assertEquals("macro $__timeBuckets: too many arguments; write $__timeBuckets(day|hour|month[, 'pattern'[, number]])",
                error("$__timeBuckets(day, 'yyyy', number, x)"));
        assertEquals("macro $__timeBuckets: the third argument can only be number (unquoted values), got x",
                error("$__timeBuckets(day, 'yyyy', x)"));
        assertEquals("macro $__timeBuckets: pattern 'yyyy-MM-dd' gives 2024-01-02, which is not a whole number; with number, use"
                + " digits only, such as 'yyyyMMdd'", error("$__timeBuckets(day, 'yyyy-MM-dd', number)"));
    }

    @Test
    void macrosInStringLiteralsQuotedIdentifiersAndCommentsAreLeftAlone() {
        String cql = "SELECT '$__timeFrom', \"$__timeTo\", $$ $__nope $$ FROM t -- $__unknown(\n"
                + "WHERE a = 'it''s $__timeFilter(x)' /* $__timeFilter( */ AND b = $__timeFrom // $__x\n";
        assertEquals("SELECT '$__timeFrom', \"$__timeTo\", $$ $__nope $$ FROM t -- $__unknown(\n"
                + "WHERE a = 'it''s $__timeFilter(x)' /* $__timeFilter( */ AND b = 1704164645678 // $__x\n", expand(cql));
    }

    @Test
    void unknownMacroIsAnErrorNamingIt() {
        assertEquals("unknown macro $__timefilter; did you mean $__timeFilter?", error("WHERE $__timefilter(ts)"));
        String msg = error("WHERE x = $__rate_interval");
        assertTrue(msg.startsWith("unknown macro $__rate_interval; known macros: $__from, "), msg);
        assertTrue(error("$__ x").startsWith("unknown macro $__;"));
    }

    @Test
    void malformedMacrosAreErrorsNamingThem() {
        assertEquals("macro $__timeFilter: missing parenthesis; write $__timeFilter(column)", error("WHERE $__timeFilter ts"));
        assertEquals("macro $__timeFilter: missing parenthesis; write $__timeFilter(column)", error("WHERE $__timeFilter"));
        assertEquals("macro $__timeFilter: missing closing parenthesis; write $__timeFilter(column)", error("WHERE $__timeFilter(ts"));
        assertEquals("macro $__timeFilter: missing argument; write $__timeFilter(column)", error("WHERE $__timeFilter()"));
        assertEquals("macro $__timeFilter: missing argument; write $__timeFilter(column)", error("WHERE $__timeFilter(  )"));
        assertEquals("macro $__timeFilter: too many arguments; write $__timeFilter(column)", error("WHERE $__timeFilter(a, b)"));
        assertEquals("macro $__unixEpochFilter: missing argument (empty); write $__unixEpochFilter(column)",
                error("WHERE $__unixEpochFilter(,)").replace("too many arguments", "missing argument (empty)"));
        assertEquals("macro $__timeFrom: too many arguments; write $__timeFrom or $__timeFrom() (for a filter on a column use $__timeFilter(column))",
                error("WHERE $__timeFrom(ts)"));
    }

    @Test
    void argumentsMayHoldParenthesesAndQuotedCommas() {
        assertEquals("toTimestamp(id) >= 1704164645678 AND toTimestamp(id) <= 1704362400999", expand("$__timeFilter(toTimestamp(id))"));
        assertEquals("'a' >= 1 AND 'a' <= 2", Macros.expand("$__timeFilter('a')", new TimeRange(1, 2), 0));
        assertEquals("\"a,b)\" >= 1 AND \"a,b)\" <= 2", Macros.expand("$__timeFilter(\"a,b)\")", new TimeRange(1, 2), 0));
    }

    @Test
    void timeMacrosWithoutATimeRangeSayWhy() {
        QueryException e = assertThrows(QueryException.class, () -> Macros.expand("$__timeFilter(ts)", null, 0));
        assertEquals("macro $__timeFilter needs the query's time range, and the request has none", e.getMessage());
        assertEquals("30s", Macros.expand("$__interval", null, 30_000));
    }

    @Test
    void namesListsEveryMacro() {
        assertEquals(java.util.List.of("$__from", "$__interval", "$__interval_ms", "$__timeBuckets", "$__timeFilter", "$__timeFrom",
                "$__timeTo", "$__to", "$__unixEpochFilter", "$__unixEpochFrom", "$__unixEpochTo"), Macros.names());
    }
}
