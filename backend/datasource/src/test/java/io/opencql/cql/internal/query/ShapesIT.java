package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.data.ArrowFrameWriter;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Table and time-series shapes from a real result: labels, float64 values, sorted time, fill, alias. */
class ShapesIT {

    static final long T1 = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
    static final long T2 = T1 + 60_000, T3 = T1 + 120_000;
    static final String CQL = "SELECT ts, host, cpu, mem FROM metrics WHERE host IN ('a', 'b')";

    @BeforeAll
    static void data() {
        CqlSession s = TestNode.session();
        s.execute("DROP TABLE IF EXISTS metrics");
        s.execute("CREATE TABLE metrics (host text, ts timestamp, cpu double, mem int, PRIMARY KEY (host, ts))");
        s.execute("INSERT INTO metrics (host, ts, cpu, mem) VALUES ('a', " + T1 + ", 1.5, 10)");
        s.execute("INSERT INTO metrics (host, ts, cpu, mem) VALUES ('a', " + T2 + ", 2.5, 20)");
        s.execute("INSERT INTO metrics (host, ts, cpu) VALUES ('a', " + T3 + ", 3.5)");
        s.execute("INSERT INTO metrics (host, ts, cpu, mem) VALUES ('b', " + T1 + ", 10, 100)");
        s.execute("INSERT INTO metrics (host, ts, cpu, mem) VALUES ('b', " + T3 + ", 30, 300)");
        s.execute("DROP TABLE IF EXISTS epochs");
        s.execute("CREATE TABLE epochs (host text, ms bigint, s int, cpu double, PRIMARY KEY (host, ms))");
        for (long t : new long[] {T1, T2, T3}) {
            s.execute("INSERT INTO epochs (host, ms, s, cpu) VALUES ('a', " + t + ", " + t / 1000 + ", " + (t - T1) / 60_000 + ")");
        }
        s.execute("INSERT INTO epochs (host, ms, cpu) VALUES ('b', " + T2 + ", 7)");
    }

    static DataResponse run(String cql, String extra) {
        return TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("B", TestNode.model(cql, extra), T1, T3));
    }

    static Frame ok(String cql, String extra) {
        DataResponse r = run(cql, extra);
        assertEquals(200, r.status(), r.error());
        assertNull(r.error());
        assertEquals(1, r.frames().size());
        return r.frames().get(0);
    }

    static List<Object> values(Field f) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            out.add(f.getObject(i));
        }
        return out;
    }

    static String describe(Field f) {
        return f.name() + f.labels();
    }

    @Test
    void tableKeepsColumnsAsReturned() {
        try (Frame f = ok(CQL, "\"format\":\"table\"")) {
            assertEquals("B", f.name());
            assertEquals("B", f.refId());
            assertEquals("table", f.meta().preferredVisualisationType());
            assertEquals(List.of(FieldType.TIME, FieldType.STRING, FieldType.FLOAT64, FieldType.INT32), f.fields().stream().map(Field::type).toList());
            assertEquals(5, f.rowCount());
            assertEquals(Arrays.asList("a", "a", "a", "b", "b"), values(f.field(1)));
            assertEquals(Arrays.asList(10L, 20L, null, 100L, 300L), values(f.field(3)));
        }
    }

    @Test
    void timeSeriesIsWideWithLabelsAndFloat64() {
        try (Frame f = ok(CQL, "\"format\":\"time_series\",\"fill\":\"null\"")) {
            assertEquals("B", f.refId());
            assertEquals("timeseries-wide", f.meta().type());
            assertArrayEquals(new int[] {0, 1}, f.meta().typeVersion());
            assertEquals(CQL, f.meta().executedQueryString());
            assertEquals(List.of("ts{}", "cpu{host=a}", "cpu{host=b}", "mem{host=a}", "mem{host=b}"), f.fields().stream().map(ShapesIT::describe).toList());
            assertEquals(FieldType.TIME, f.field(0).type());
            for (int i = 1; i < 5; i++) {
                assertEquals(FieldType.FLOAT64, f.field(i).type());
            }
            assertEquals(List.of(T1 * 1_000_000L, T2 * 1_000_000L, T3 * 1_000_000L), values(f.field(0)));
            assertEquals(Arrays.asList(1.5, 2.5, 3.5), values(f.field(1)));
            assertEquals(Arrays.asList(10.0, null, 30.0), values(f.field(2)));
            assertEquals(Arrays.asList(10.0, 20.0, null), values(f.field(3)));
            assertEquals(Arrays.asList(100.0, null, 300.0), values(f.field(4)));
            assertNull(f.field(1).config()); // no alias: Grafana names the series itself
        }
    }

    @Test
    void fillValueAndPrevious() {
        try (Frame f = ok(CQL, "\"format\":\"time_series\",\"fill\":\"value\",\"fillValue\":-1")) {
            assertEquals(Arrays.asList(10.0, -1.0, 30.0), values(f.field(2)));
            assertEquals(Arrays.asList(100.0, -1.0, 300.0), values(f.field(4)));
        }
        try (Frame f = ok(CQL, "\"format\":\"time_series\",\"fill\":\"previous\"")) {
            assertEquals(Arrays.asList(10.0, 10.0, 30.0), values(f.field(2)));
            assertEquals(Arrays.asList(100.0, 100.0, 300.0), values(f.field(4)));
        }
    }

    @Test
    void aliasSetsDisplayNamesAndLabelsSurviveTheArrowEncoding() throws Exception {
        try (Frame f = ok(CQL, "\"format\":0,\"alias\":\"{{column}} on {{host}}\"")) {
            List<String> names = new ArrayList<>();
            for (int i = 1; i < f.fields().size(); i++) {
                names.add(f.field(i).config().displayNameFromDS());
            }
            assertEquals(List.of("cpu on a", "cpu on b", "mem on a", "mem on b"), names);

            byte[] arrow = ArrowFrameWriter.write(f);
            try (RootAllocator alloc = new RootAllocator();
                 ArrowFileReader reader = new ArrowFileReader(new SeekableReadChannel(new ByteArrayReadableSeekableByteChannel(arrow)), alloc)) {
                Schema schema = reader.getVectorSchemaRoot().getSchema();
                assertEquals("B", schema.getCustomMetadata().get("refId"));
                Map<String, String> meta = schema.getFields().get(2).getMetadata();
                assertEquals("{\"host\":\"b\"}", meta.get("labels"));
                assertEquals("{\"displayNameFromDS\":\"cpu on b\"}", meta.get("config"));
                assertEquals(null, schema.getFields().get(0).getMetadata().get("labels"));
                reader.loadNextBatch();
                assertEquals(3, reader.getVectorSchemaRoot().getRowCount());
            }
        }
    }

    @Test
    void timeColumnPicksTheTimeIndex() {
        try (Frame f = ok("SELECT cpu, toDate(ts) AS day, ts FROM metrics WHERE host = 'a'", "\"format\":\"time_series\",\"timeColumn\":\"ts\"")) {
            assertEquals(List.of("ts", "cpu"), f.fields().stream().map(Field::name).toList());
            assertEquals(List.of(T1 * 1_000_000L, T2 * 1_000_000L, T3 * 1_000_000L), values(f.field(0)));
        }
        // without timeColumn the first timestamp/date column is the index: the date, so the three rows merge into one time
        try (Frame f = ok("SELECT cpu, toDate(ts) AS day, ts FROM metrics WHERE host = 'a'", "\"format\":\"time_series\"")) {
            assertEquals("day", f.field(0).name());
            assertEquals(List.of(T1 * 1_000_000L), values(f.field(0)));
        }
    }

    @Test
    void anIntOrBigintEpochColumnNamedInTimeColumnIsTheTimeIndex() {
        List<Long> times = List.of(T1 * 1_000_000L, T2 * 1_000_000L, T3 * 1_000_000L);
        // milliseconds in a bigint, filtered by $__timeFilter (epoch ms literals)
        try (Frame f = ok("SELECT ms, cpu FROM epochs WHERE host = 'a' AND $__timeFilter(ms)", "\"format\":\"time_series\",\"timeColumn\":\"ms\"")) {
            assertEquals(List.of("ms", "cpu"), f.fields().stream().map(Field::name).toList());
            assertEquals(FieldType.TIME, f.field(0).type());
            assertEquals(times, values(f.field(0)));
            assertEquals(List.of(0.0, 1.0, 2.0), values(f.field(1)));
        }
        // seconds in an int, filtered by $__unixEpochFilter; the bigint is then a value like any number
        try (Frame f = ok("SELECT s, cpu FROM epochs WHERE host = 'a' AND $__unixEpochFilter(s) ALLOW FILTERING",
                "\"format\":\"time_series\",\"timeColumn\":\"s\"")) {
            assertEquals(times, values(f.field(0)));
        }
        // a row without the epoch is left out, with a notice, as a null timestamp is
        DataResponse r = run("SELECT s, cpu FROM epochs", "\"format\":\"time_series\",\"timeColumn\":\"s\"");
        assertEquals(200, r.status(), r.error());
        try (Frame f = r.frames().get(0)) {
            assertEquals(times, values(f.field(0)));
            assertEquals(List.of("1 rows with a null time in column 's' were left out"),
                    f.meta().notices().stream().map(n -> n.text()).toList());
        }
        // never picked unless named; in a table it stays a number
        assertEquals(400, run("SELECT ms, cpu FROM epochs WHERE host = 'a'", "\"format\":\"time_series\"").status());
        try (Frame f = ok("SELECT ms, cpu FROM epochs WHERE host = 'a'", "\"format\":\"table\",\"timeColumn\":\"ms\"")) {
            assertEquals(FieldType.INT64, f.field(0).type());
            assertEquals(List.of(T1, T2, T3), values(f.field(0)));
        }
    }

    @Test
    void timeGroupAggregatesEachSeriesPerBucketBeforeGoingWide() {
        // rows at T1, T2 (+1 min), T3 (+2 min); 2-minute buckets aligned on the epoch: T1 and T2 share one, T3 starts the next
        long bucket = 120_000L;
        assertEquals(0, T1 % bucket, "T1 starts a bucket");
        try (Frame f = ok(CQL, "\"format\":\"time_series\",\"timeGroup\":\"2m\",\"aggregate\":\"max\"")) {
            assertEquals(List.of(T1 * 1_000_000L, T3 * 1_000_000L), values(f.field(0)));
            assertEquals(List.of("cpu{host=a}", "cpu{host=b}", "mem{host=a}", "mem{host=b}"),
                    f.fields().subList(1, 5).stream().map(ShapesIT::describe).toList());
            assertEquals(List.of(2.5, 3.5), values(f.field(1)), "host a: max(1.5, 2.5), then 3.5");
            assertEquals(List.of(10.0, 30.0), values(f.field(2)));
            assertEquals(Arrays.asList(20.0, null), values(f.field(3)), "host a's mem is null at T3: no value in that bucket");
            assertEquals(List.of(100.0, 300.0), values(f.field(4)));
        }
        // $__interval: the query's interval (TestNode.query sends 30 s): every row its own bucket; count counts values
        try (Frame f = ok(CQL, "\"format\":\"time_series\",\"timeGroup\":\"$__interval\",\"aggregate\":\"count\"")) {
            assertEquals(List.of(T1 * 1_000_000L, T2 * 1_000_000L, T3 * 1_000_000L), values(f.field(0)));
            assertEquals(List.of(1.0, 1.0, 1.0), values(f.field(1)), "cpu{host=a}");
            assertEquals(Arrays.asList(1.0, null, 1.0), values(f.field(2)), "cpu{host=b}: no row at T2");
        }
        DataResponse r = run(CQL, "\"format\":\"time_series\",\"timeGroup\":\"5 minutes\"");
        assertEquals(400, r.status());
        assertEquals("query key 'timeGroup': \"5 minutes\" is not a duration such as 500ms, 30s, 5m, 1h, 1d or $__interval", r.error());
    }

    @Test
    void zeroRowsIsATypedFrameAndNoError() {
        try (Frame f = ok("SELECT ts, host, cpu, mem FROM metrics WHERE host = 'nobody'", "\"format\":\"time_series\"")) {
            assertEquals(List.of("ts", "cpu", "mem"), f.fields().stream().map(Field::name).toList());
            assertEquals(List.of(FieldType.TIME, FieldType.FLOAT64, FieldType.FLOAT64), f.fields().stream().map(Field::type).toList());
            assertEquals(0, f.rowCount());
            assertEquals("timeseries-wide", f.meta().type());
        }
    }

    @Test
    void timeSeriesWithoutATimeOrValueColumnIsA400() {
        DataResponse r = run("SELECT host, cpu FROM metrics WHERE host = 'a'", "\"format\":\"time_series\"");
        assertEquals(400, r.status());
        assertEquals("downstream", r.errorSource().wire());
        assertEquals("format time_series needs a timestamp or date column, and the result has none (columns: host text, cpu double);"
                + " select one (toTimestamp() converts a timeuuid) or use format table", r.error());
        assertEquals("SELECT host, cpu FROM metrics WHERE host = 'a'", r.frames().get(0).meta().executedQueryString());

        r = run("SELECT ts, host FROM metrics WHERE host = 'a'", "\"format\":\"time_series\"");
        assertEquals(400, r.status());
        assertEquals("format time_series needs a numeric value column, and the result has none (columns: ts timestamp, host text)", r.error());

        r = run(CQL, "\"format\":\"time_series\",\"timeColumn\":\"cpu\"");
        assertEquals(400, r.status());
        assertEquals("query option timeColumn: column 'cpu' is a double; format time_series needs a timestamp or date column,"
                + " or an int/bigint epoch (a timeuuid converts with toTimestamp(cpu))", r.error());

        r = run(CQL, "\"format\":\"time_series\",\"timeColumn\":\"when\"");
        assertEquals(400, r.status());
        assertEquals("query option timeColumn: the result has no column 'when' (columns: ts timestamp, host text, cpu double, mem int)", r.error());
    }
}
