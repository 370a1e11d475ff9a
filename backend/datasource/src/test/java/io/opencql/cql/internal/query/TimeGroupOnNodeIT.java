package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Time grouping on the node (Cassandra 5.0's GROUP BY floor()) against the plugin's own grouping of the raw rows, on a
 * real node: for every aggregate the node computes, several steps and time ranges (bucket boundaries inside the range
 * and on its edges), double/int/float/bigint columns with nulls, day-bucketed partitions, the pushed-down answer equals
 * the plugin's cell by cell (bit for bit for floats); and each case that must stay in the plugin does, with the same
 * answer. Which path answered is read from the executed query string (the grouped statement has GROUP BY).
 */
class TimeGroupOnNodeIT {

    /** 2026-03-01 20:00 UTC: the data runs 32 h over three day partitions. */
    static final long T0 = Instant.parse("2026-03-01T20:00:00Z").toEpochMilli();
    static final long SPAN = 32 * 3_600_000L;
    static final String[] SENSORS = {"s-a", "s-b", "s-c"};
    static final String READINGS = "SELECT ts, sensor, v, i, f, b FROM tg_readings WHERE sensor IN ('s-a', 's-b', 's-c')"
            + " AND day IN ($__timeBuckets(day)) AND $__timeFilter(ts)";

    @BeforeAll
    static void data() throws Exception {
        CqlSession s = TestNode.session();
        s.execute("DROP TABLE IF EXISTS tg_readings");
        s.execute("CREATE TABLE tg_readings (sensor text, day date, ts timestamp, v double, i int, f float, b bigint,"
                + " unit text, PRIMARY KEY ((sensor, day), ts))");
        s.execute("DROP TABLE IF EXISTS tg_old");
        s.execute("CREATE TABLE tg_old (sensor text, ts timestamp, v double, PRIMARY KEY (sensor, ts))");
        PreparedStatement ins = s.prepare("INSERT INTO tg_readings (sensor, day, ts, v, i, f, b, unit) VALUES (?, ?, ?, ?, ?, ?, ?, 'C')");
        Random rnd = new Random(42);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (String sensor : new String[] {"s-a", "s-b", "s-c", "s-rt"}) {
            long t = T0 - 60_000;
            while (t < T0 + SPAN + 60_000) {
                // irregular steps, and every so often a row exactly on a minute (a bucket's first instant) or just before
                int kind = rnd.nextInt(10);
                t += kind == 0 ? 60_000 - Math.floorMod(t, 60_000) : kind == 1 ? 59_999 - Math.floorMod(t, 60_000) : 1 + rnd.nextInt(45_000);
                BoundStatement b = ins.bind(sensor, LocalDate.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC), Instant.ofEpochMilli(t),
                        rnd.nextInt(12) == 0 ? null : rnd.nextGaussian() * 1e3 + 0.1,
                        rnd.nextInt(12) == 0 ? null : rnd.nextInt(2_000_000) - 1_000_000,
                        rnd.nextInt(12) == 0 ? null : (float) (rnd.nextDouble() * 100),
                        rnd.nextInt(12) == 0 ? null : rnd.nextLong() >> 20);
                for (int k = 3; k < 7; k++) {
                    if (b.isNull(k)) {
                        b = b.unset(k); // a missing value, not a tombstone per null cell
                    }
                }
                pending.add(s.executeAsync(b).toCompletableFuture());
                if (pending.size() >= 256) {
                    CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get();
                    pending.clear();
                }
            }
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get();
        // a series whose rows are all null in one minute: that bucket must stay null (0 for count); rows deleted one by
        // one (a range deletion is a range tombstone, see rangeTombstones...)
        for (com.datastax.oss.driver.api.core.cql.Row row : s.execute("SELECT ts FROM tg_readings WHERE sensor = 's-a'"
                + " AND day = '2026-03-02' AND ts >= " + (T0 + 30_000_000) + " AND ts < " + (T0 + 30_060_000))) {
            s.execute("DELETE FROM tg_readings WHERE sensor = 's-a' AND day = '2026-03-02' AND ts = " + row.getInstant(0).toEpochMilli());
        }
        s.execute("INSERT INTO tg_readings (sensor, day, ts) VALUES ('s-a', '2026-03-02', " + (T0 + 30_000_000 + 5) + ")");
        // s-rt: the same kind of rows with a range tombstone
        s.execute("DELETE FROM tg_readings WHERE sensor = 's-rt' AND day = '2026-03-02' AND ts >= " + (T0 + 30_000_000)
                + " AND ts < " + (T0 + 30_060_000));
        // times before 1970: floor() with its default start fails on them on the node
        for (long t : new long[] {-120_000, -61_000, -1, 0, 59_999, 60_000}) {
            s.execute("INSERT INTO tg_old (sensor, ts, v) VALUES ('o', " + t + ", " + (t / 1000.0) + ")");
        }
    }

    static DataResponse run(String cql, String extra, long from, long to, long intervalMs) {
        DataQuery q = new DataQuery("A", 1000, intervalMs, new TimeRange(from, to),
                TestNode.model(cql, extra).getBytes(StandardCharsets.UTF_8), "");
        return TestNode.run(TestNode.instance(TestNode.settings()), q);
    }

    static String executed(DataResponse r) {
        return r.frames().get(0).meta().executedQueryString();
    }

    /**
     * Runs {@code cql} grouped in the plugin (timeGroupOnNode false) and as the data source chooses, asserts both
     * answers are equal cell by cell, and returns the executed query of the second.
     */
    static String sameAsPlugin(String cql, String options, long from, long to, long intervalMs) {
        return sameAsPlugin(cql, options, from, to, intervalMs, true);
    }

    static String sameAsPlugin(String cql, String options, long from, long to, long intervalMs, boolean rows) {
        DataResponse plugin = run(cql, options + ",\"timeGroupOnNode\":false", from, to, intervalMs);
        DataResponse chosen = run(cql, options, from, to, intervalMs);
        try {
            assertEquals(200, plugin.status(), plugin.error());
            assertEquals(200, chosen.status(), chosen.error());
            assertFalse(executed(plugin).contains("GROUP BY"), executed(plugin));
            assertFrameEquals(plugin.frames().get(0), chosen.frames().get(0), options + " " + executed(chosen));
            assertEquals(rows, plugin.frames().get(0).rowCount() > 0, "rows expected: " + rows);
            return executed(chosen);
        } finally {
            plugin.frames().forEach(Frame::close);
            chosen.frames().forEach(Frame::close);
        }
    }

    static void assertFrameEquals(Frame expected, Frame actual, String what) {
        assertEquals(expected.fields().size(), actual.fields().size(), what + ": fields");
        assertEquals(expected.rowCount(), actual.rowCount(), what + ": rows");
        assertEquals(expected.name(), actual.name(), what);
        assertEquals(expected.meta().type(), actual.meta().type(), what);
        assertEquals(expected.meta().notices(), actual.meta().notices(), what);
        for (int k = 0; k < expected.fields().size(); k++) {
            Field e = expected.field(k);
            Field a = actual.field(k);
            String where = what + ": field " + k + " " + e.name() + " " + e.labels();
            assertEquals(e.name(), a.name(), where);
            assertEquals(e.type(), a.type(), where);
            assertEquals(e.nullable(), a.nullable(), where);
            assertEquals(e.labels(), a.labels(), where);
            assertEquals(e.config(), a.config(), where);
            for (int r = 0; r < e.size(); r++) {
                Object x = e.getObject(r);
                Object y = a.getObject(r);
                if (x instanceof Double dx && y instanceof Double dy) {
                    assertEquals(Double.doubleToLongBits(dx), Double.doubleToLongBits(dy), where + " row " + r + ": " + dx + " vs " + dy);
                } else {
                    assertEquals(x, y, where + " row " + r);
                }
            }
        }
    }

    static final String[] AGGREGATES = {"avg", "min", "max", "sum", "count"};

    @Test
    void everyAggregateStepAndRangeEqualsThePluginsGrouping() {
        long aligned = T0 + 3_600_000; // a whole hour: every step's bucket boundary
        long[][] ranges = {
                {aligned, aligned + 6 * 3_600_000},                         // edges on bucket boundaries
                {aligned + 17_123, aligned + 5 * 3_600_000 + 301_007},      // edges inside buckets
                {T0 - 3_600_000, T0 + SPAN + 3_600_000},                    // all of it, over three day partitions
        };
        String[] steps = {"1m", "7m", "1h", "10s", "$__interval"};
        for (String agg : AGGREGATES) {
            for (String step : steps) {
                for (long[] range : ranges) {
                    String sent = sameAsPlugin(READINGS, "\"format\":\"time_series\",\"timeGroup\":\"" + step + "\",\"aggregate\":\"" + agg + "\"",
                            range[0], range[1], 90_000, true);
                    // 7 minutes do not divide a day: the bucket over midnight (every range here crosses it) has rows in
                    // two day partitions, whose partial sums cannot be added exactly, so sum and avg go back to the plugin
                    boolean partialSums = step.equals("7m") && (agg.equals("sum") || agg.equals("avg"));
                    assertEquals(!partialSums, sent.contains("GROUP BY sensor, day, floor(ts, "), agg + " " + step + ": " + sent);
                }
            }
        }
        String sent = sameAsPlugin(READINGS, "\"format\":\"time_series\",\"timeGroup\":\"$__interval\"", T0, T0 + SPAN, 90_000);
        assertEquals("SELECT floor(ts, 90s), sensor, sum(v), count(v), sum(cast(i AS double)), count(i),"
                + " sum(cast(f AS double)), count(f), sum(cast(b AS double)), count(b) FROM tg_readings WHERE sensor IN ('s-a', 's-b', 's-c')"
                + " AND day IN ('2026-03-01', '2026-03-02', '2026-03-03') AND ts >= " + T0 + " AND ts <= " + (T0 + SPAN)
                + " GROUP BY sensor, day, floor(ts, 90s)", sent);
    }

    @Test
    void fillAliasTimeColumnAndOneSeriesEqualThePluginsGrouping() {
        String cql = "SELECT ts AS \"Time\", v AS temp, i FROM tg_readings WHERE sensor = 's-b' AND day = '2026-03-02'"
                + " AND ts >= $__timeFrom AND ts < $__timeTo";
        for (String fill : new String[] {"none", "null", "previous", "value"}) {
            for (String agg : AGGREGATES) {
                String sent = sameAsPlugin(cql, "\"format\":\"time_series\",\"timeGroup\":\"5m\",\"aggregate\":\"" + agg
                        + "\",\"fill\":\"" + fill + "\",\"fillValue\":-1,\"timeColumn\":\"time\",\"alias\":\"{{column}} x\"",
                        T0, T0 + SPAN, 1000);
                assertTrue(sent.contains("GROUP BY sensor, day, floor(ts, 5m)"), sent);
            }
        }
    }

    @Test
    void aBucketWithOnlyNullsStaysNullAndCountsZero() {
        long from = T0 + 29_940_000, to = T0 + 30_120_000;
        for (String agg : AGGREGATES) {
            String sent = sameAsPlugin("SELECT ts, sensor, v FROM tg_readings WHERE sensor = 's-a' AND day = '2026-03-02' AND $__timeFilter(ts)",
                    "\"format\":\"time_series\",\"timeGroup\":\"1m\",\"aggregate\":\"" + agg + "\"", from, to, 1000);
            assertTrue(sent.contains("GROUP BY"), sent);
        }
        DataResponse r = run("SELECT ts, sensor, v FROM tg_readings WHERE sensor = 's-a' AND day = '2026-03-02' AND $__timeFilter(ts)",
                "\"format\":\"time_series\",\"timeGroup\":\"1m\",\"aggregate\":\"avg\"", from, to, 1000);
        Frame f = r.frames().get(0);
        int at = -1;
        for (int row = 0; row < f.rowCount(); row++) {
            if (f.field(0).getLong(row) == (T0 + 30_000_000) * 1_000_000) {
                at = row;
            }
        }
        assertTrue(at >= 0, "the minute holding only a row without values has a point");
        assertTrue(f.field(1).isNull(at), "and its average is null");
        f.close();
    }

    @Test
    void emptyRangeEqualsThePluginsEmptyFrame() {
        String sent = sameAsPlugin(READINGS, "\"format\":\"time_series\",\"timeGroup\":\"1m\"", T0 + 10 * SPAN, T0 + 11 * SPAN, 1000, false);
        assertTrue(sent.contains("GROUP BY"), sent);
    }

    @Test
    void stepsLongerThanAPartitionMergeMinMaxCountOnTheNodeAndSendSumsBackToThePlugin() {
        for (String agg : AGGREGATES) {
            String sent = sameAsPlugin(READINGS, "\"format\":\"time_series\",\"timeGroup\":\"2d\",\"aggregate\":\"" + agg + "\"",
                    T0 - 3_600_000, T0 + SPAN, 1000);
            boolean exactMerge = agg.equals("min") || agg.equals("max") || agg.equals("count");
            assertEquals(exactMerge, sent.contains("GROUP BY"), agg + ": " + sent);
        }
    }

    @Test
    void shapesTheNodeCannotGroupIdenticallyStayInThePlugin() {
        String ts = "\"format\":\"time_series\",\"timeGroup\":\"1m\"";
        long from = T0, to = T0 + 6 * 3_600_000;
        String[][] cases = {
                {READINGS, ts + ",\"aggregate\":\"first\""},
                {READINGS, ts + ",\"aggregate\":\"last\""},
                {READINGS, ts + ",\"timeGroupOnNode\":false"},
                // a label that is not a partition-key column
                {"SELECT ts, sensor, unit, v FROM tg_readings WHERE sensor IN ('s-a', 's-b') AND day IN ($__timeBuckets(day))"
                        + " AND $__timeFilter(ts)", ts},
                // LIMIT counts raw rows
                {READINGS + " LIMIT 500", ts},
                // a function in the select list
                {"SELECT ts, sensor, v * 2 AS v2 FROM tg_readings WHERE sensor IN ('s-a') AND day IN ($__timeBuckets(day))"
                        + " AND $__timeFilter(ts)", ts + ",\"aggregate\":\"max\""},
                // a filter on a regular column
                {"SELECT ts, sensor, v FROM tg_readings WHERE sensor = 's-a' AND day = '2026-03-02' AND $__timeFilter(ts)"
                        + " AND v > 0 ALLOW FILTERING", ts},
        };
        for (String[] c : cases) {
            String sent = sameAsPlugin(c[0], c[1], from, to, 1000);
            assertFalse(sent.contains("GROUP BY"), c[1] + ": " + sent);
        }
    }

    @Test
    void timesBefore1970StayInThePluginBecauseTheNodeFailsThemAsAReadFailure() {
        String cql = "SELECT ts, sensor, v FROM tg_old WHERE sensor = 'o' AND $__timeFilter(ts)";
        String sent = sameAsPlugin(cql, "\"format\":\"time_series\",\"timeGroup\":\"1m\",\"aggregate\":\"sum\"", -300_000, 300_000, 1000);
        assertFalse(sent.contains("GROUP BY"), sent);
        // what the plugin spares the user: the node's answer to the grouped statement over those rows
        assertThrows(ReadFailureException.class, () -> TestNode.session().execute(
                "SELECT floor(ts, 1m), sensor, count(v) FROM tg_old WHERE sensor = 'o' GROUP BY sensor, floor(ts, 1m)"));
        // the same table from 1970 on groups on the node
        sent = sameAsPlugin(cql, "\"format\":\"time_series\",\"timeGroup\":\"1m\",\"aggregate\":\"sum\"", 0, 300_000, 1000);
        assertTrue(sent.contains("GROUP BY sensor, floor(ts, 1m)"), sent);
    }

    @Test
    void orderByWithinOnePartitionGroupsOnTheNode() {
        for (String agg : AGGREGATES) {
            String sent = sameAsPlugin("SELECT ts, v, i FROM tg_readings WHERE sensor = 's-c' AND day = '2026-03-02' AND $__timeFilter(ts)"
                    + " ORDER BY ts DESC", "\"format\":\"time_series\",\"timeGroup\":\"3m\",\"aggregate\":\"" + agg + "\"", T0, T0 + SPAN, 1000);
            assertTrue(sent.endsWith("GROUP BY sensor, day, floor(ts, 3m) ORDER BY ts DESC"), sent);
        }
    }

    /**
     * Range deletions inside the grouped range. Cassandra 5.0.9 once failed a grouped page here ("UnfilteredRowIterator
     * ... has an open RT bound as its last item" in the node's log, a ReadFailure to the client) when a range tombstone
     * lay in s-a among nine partitions read in 100-group pages; the plugin then grouped the raw rows and the answer was
     * the same. It depends on where the node's internal sub-pages end, and this data does not reproduce it every time,
     * so this test holds the invariant rather than the failure: the answer equals the plugin's, and the grouped
     * statement is what answered exactly when the node can answer it.
     */
    @Test
    void rangeTombstonesTheNodeFailsToGroupOverStillAnswerTheSame() {
        String cql = "SELECT ts, sensor, v, i, f, b FROM tg_readings WHERE sensor IN ('s-b', 's-c', 's-rt') AND day IN ($__timeBuckets(day))"
                + " AND $__timeFilter(ts)";
        long from = T0 - 3_600_000, to = T0 + SPAN + 3_600_000;
        int failed = 0;
        for (String agg : AGGREGATES) {
            String sent = sameAsPlugin(cql, "\"format\":\"time_series\",\"timeGroup\":\"1m\",\"aggregate\":\"" + agg + "\"", from, to, 1000);
            String grouped = TimeGroupOnNode.plan(TestNode.session(), QueryModel.parse(TestNode.model(cql,
                    "\"format\":\"time_series\",\"timeGroup\":\"1m\",\"aggregate\":\"" + agg + "\"").getBytes(StandardCharsets.UTF_8)),
                    Macros.expand(cql, new TimeRange(from, to), 1000), 1000, java.time.Duration.ofSeconds(10)).cql();
            boolean nodeFails;
            try {
                var page = TestNode.session().execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.builder(grouped)
                        .setPageSize(TimeGroupOnNode.groupsPerPage(5000, 60_000)).build());
                page.all();
                nodeFails = false;
            } catch (ReadFailureException e) {
                nodeFails = true;
                failed++;
            }
            assertEquals(!nodeFails, sent.contains("GROUP BY"), agg + ": node fails " + nodeFails + ", sent " + sent);
        }
        System.err.println("range tombstone: the node failed the grouped statement for " + failed + " of " + AGGREGATES.length + " aggregates");
    }

    @Test
    void theNodeIsProbedAsAbleToGroupByTime() {
        assertTrue(TimeGroupCapability.groupsByTime(TestNode.session(), java.time.Duration.ofSeconds(10)));
    }
}
