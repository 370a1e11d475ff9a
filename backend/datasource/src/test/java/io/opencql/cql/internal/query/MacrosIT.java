package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.data.Frame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Macros against real time ranges: rows inside the range come back, rows outside do not. */
class MacrosIT {

    static final long T0 = Instant.parse("2024-05-01T00:00:00Z").toEpochMilli();
    static final long MIN = 60_000, HOUR = 3_600_000;

    @BeforeAll
    static void data() {
        CqlSession s = TestNode.session();
        s.execute("DROP TABLE IF EXISTS events");
        s.execute("CREATE TABLE events (sensor text, ts timestamp, value double, e bigint, PRIMARY KEY (sensor, ts))");
        long[] times = {T0 - HOUR, T0 + 10 * MIN, T0 + 50 * MIN, T0 + 2 * HOUR};
        for (int i = 0; i < times.length; i++) {
            s.execute("INSERT INTO events (sensor, ts, value, e) VALUES ('a', " + times[i] + ", " + (i + 1) + ", " + times[i] / 1000 + ")");
        }
        s.execute("DROP TABLE IF EXISTS readings");
        s.execute("CREATE TABLE readings (sensor text, day date, ts timestamp, value double, PRIMARY KEY ((sensor, day), ts))");
        s.execute("DROP TABLE IF EXISTS readings_txt");
        s.execute("CREATE TABLE readings_txt (sensor text, bucket text, ts timestamp, value double, PRIMARY KEY ((sensor, bucket), ts))");
        s.execute("DROP TABLE IF EXISTS readings_int");
        s.execute("CREATE TABLE readings_int (sensor text, bucket int, ts timestamp, value double, PRIMARY KEY ((sensor, bucket), ts))");
        for (int d = 1; d <= 4; d++) {
            for (int h : new int[] {6, 18}) {
                String day = "2024-05-0" + d;
                long ts = Instant.parse(day + "T" + (h < 10 ? "0" : "") + h + ":00:00Z").toEpochMilli();
                double v = d * 10 + (h == 18 ? 1 : 0);
                s.execute("INSERT INTO readings (sensor, day, ts, value) VALUES ('s1', '" + day + "', " + ts + ", " + v + ")");
                s.execute("INSERT INTO readings_txt (sensor, bucket, ts, value) VALUES ('s1', '2024050" + d + "', " + ts + ", " + v + ")");
                s.execute("INSERT INTO readings_int (sensor, bucket, ts, value) VALUES ('s1', 2024050" + d + ", " + ts + ", " + v + ")");
            }
        }
    }

    static Frame ok(String cql, long from, long to) {
        DataResponse r = TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("A", TestNode.model(cql, null), from, to));
        assertEquals(200, r.status(), r.error());
        assertNull(r.errorSource());
        return r.frames().get(0);
    }

    static List<Object> column(Frame f, int k) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < f.rowCount(); i++) {
            out.add(f.field(k).getObject(i));
        }
        return out;
    }

    @Test
    void timeFilterKeepsRowsInsideTheRange() {
        try (Frame f = ok("SELECT ts, value FROM events WHERE sensor = 'a' AND $__timeFilter(ts)", T0, T0 + HOUR)) {
            assertEquals(List.of(2.0, 3.0), column(f, 1));
            assertEquals(List.of((T0 + 10 * MIN) * 1_000_000L, (T0 + 50 * MIN) * 1_000_000L), column(f, 0));
            assertEquals("SELECT ts, value FROM events WHERE sensor = 'a' AND ts >= 1714521600000 AND ts <= 1714525200000",
                    f.meta().executedQueryString());
        }
    }

    @Test
    void rangeBoundsAreInclusive() {
        try (Frame f = ok("SELECT value FROM events WHERE sensor = 'a' AND ts >= $__timeFrom AND ts <= $__timeTo()",
                T0 + 10 * MIN, T0 + 50 * MIN)) {
            assertEquals(List.of(2.0, 3.0), column(f, 0));
        }
        try (Frame f = ok("SELECT value FROM events WHERE sensor = 'a' AND $__timeFilter(ts)", T0 + 10 * MIN + 1, T0 + 50 * MIN - 1)) {
            assertEquals(List.of(), column(f, 0));
        }
    }

    @Test
    void unixEpochFilterOnASecondsColumn() {
        try (Frame f = ok("SELECT value FROM events WHERE sensor = 'a' AND $__unixEpochFilter(e) ALLOW FILTERING", T0, T0 + HOUR)) {
            assertEquals(List.of(2.0, 3.0), column(f, 0));
            assertEquals("SELECT value FROM events WHERE sensor = 'a' AND e >= 1714521600 AND e <= 1714525200 ALLOW FILTERING",
                    f.meta().executedQueryString());
        }
    }

    static final long FROM = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
    static final long TO = Instant.parse("2024-05-03T12:00:00Z").toEpochMilli();

    @Test
    void timeBucketsSelectTheDayPartitionsOfTheRange() {
        String cql = "SELECT value FROM readings WHERE sensor = 's1' AND day IN ($__timeBuckets(day)) AND $__timeFilter(ts)";
        try (Frame f = ok(cql, FROM, TO)) {
            List<Object> values = column(f, 0);
            values.sort(null);
            assertEquals(List.of(11.0, 20.0, 21.0, 30.0), values);
            assertEquals("SELECT value FROM readings WHERE sensor = 's1' AND day IN ('2024-05-01', '2024-05-02', '2024-05-03')"
                    + " AND ts >= 1714564800000 AND ts <= 1714737600000", f.meta().executedQueryString());
        }
        // without the time filter: whole partitions of the three days, none of the fourth
        try (Frame f = ok("SELECT value FROM readings WHERE sensor = 's1' AND day IN ($__timeBuckets(day))", FROM, TO)) {
            List<Object> values = column(f, 0);
            values.sort(null);
            assertEquals(List.of(10.0, 11.0, 20.0, 21.0, 30.0, 31.0), values);
        }
    }

    @Test
    void timeBucketsAsNumbersOnAnIntBucket() {
        try (Frame f = ok("SELECT value FROM readings_int WHERE sensor = 's1' AND bucket IN ($__timeBuckets(day, 'yyyyMMdd', number))", FROM, TO)) {
            List<Object> values = column(f, 0);
            values.sort(null);
            assertEquals(List.of(10.0, 11.0, 20.0, 21.0, 30.0, 31.0), values);
        }
        // quoted, the node refuses the text literals for an int column
        DataResponse r = TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("A",
                TestNode.model("SELECT value FROM readings_int WHERE sensor = 's1' AND bucket IN ($__timeBuckets(day, 'yyyyMMdd'))", null), FROM, TO));
        assertEquals(400, r.status());
    }

    @Test
    void timeBucketsWithAPatternOnATextBucket() {
        try (Frame f = ok("SELECT value FROM readings_txt WHERE sensor = 's1' AND bucket IN ($__timeBuckets(day, 'yyyyMMdd'))", FROM, TO)) {
            List<Object> values = column(f, 0);
            values.sort(null);
            assertEquals(List.of(10.0, 11.0, 20.0, 21.0, 30.0, 31.0), values);
        }
    }

    @Test
    void timeBucketsAsATimeSeriesAcrossThreeDays() {
        String json = TestNode.model("SELECT ts, value FROM readings WHERE sensor = 's1' AND day IN ($__timeBuckets(day)) AND $__timeFilter(ts)",
                "\"format\":\"time_series\"");
        DataResponse r = TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("A", json, FROM, TO));
        assertEquals(200, r.status(), r.error());
        try (Frame f = r.frames().get(0)) {
            assertEquals(List.of(Instant.parse("2024-05-01T18:00:00Z").toEpochMilli() * 1_000_000L,
                    Instant.parse("2024-05-02T06:00:00Z").toEpochMilli() * 1_000_000L,
                    Instant.parse("2024-05-02T18:00:00Z").toEpochMilli() * 1_000_000L,
                    Instant.parse("2024-05-03T06:00:00Z").toEpochMilli() * 1_000_000L), column(f, 0));
            assertEquals(List.of(11.0, 20.0, 21.0, 30.0), column(f, 1));
        }
    }

    @Test
    void tooManyBucketsIsA400() {
        DataResponse r = TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("A",
                TestNode.model("SELECT value FROM readings WHERE sensor = 's1' AND day IN ($__timeBuckets(day))", null),
                T0, T0 + 1500 * 24 * HOUR));
        assertEquals(400, r.status());
        assertEquals("downstream", r.errorSource().wire());
        assertEquals("macro $__timeBuckets: the time range covers 1501 day buckets, more than 1000; pick a shorter time range or a coarser unit",
                r.error());
        assertEquals(List.of(), r.frames()); // the CQL never got expanded
    }

    @Test
    void unknownMacroIsA400NamingIt() {
        DataResponse r = TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("A",
                TestNode.model("SELECT value FROM events WHERE sensor = 'a' AND $__timeGroup(ts, '5m')", null), T0, T0 + HOUR));
        assertEquals(400, r.status());
        assertEquals("downstream", r.errorSource().wire());
        assertEquals(true, r.error().startsWith("unknown macro $__timeGroup; known macros: "), r.error());
    }
}
