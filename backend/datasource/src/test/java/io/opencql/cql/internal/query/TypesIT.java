package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.data.ArrowFrameWriter;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every CQL type through the engine against a real node: field types, values and NULLs. */
class TypesIT {

    static final String COLUMNS = "k, a, t, vc, ti, si, i, bi, f, d, dec, vi, b, ts, dt, tm, du, u, tu, ip, bl, l, s, m, mi, fl, nest, tup, addr, v, vt";

    static final List<Frame> OPEN = new ArrayList<>();

    @BeforeAll
    static void schema() {
        CqlSession s = TestNode.session();
        s.execute("DROP TABLE IF EXISTS all_types");
        s.execute("DROP TYPE IF EXISTS address");
        s.execute("CREATE TYPE address (street text, zip int, tags frozen<list<text>>)");
        s.execute("CREATE TABLE all_types (k int PRIMARY KEY, a ascii, t text, vc varchar, ti tinyint, si smallint, i int, bi bigint,"
                + " f float, d double, dec decimal, vi varint, b boolean, ts timestamp, dt date, tm time, du duration, u uuid,"
                + " tu timeuuid, ip inet, bl blob, l list<int>, s set<text>, m map<text, int>, mi map<int, text>,"
                + " fl frozen<list<frozen<map<text, int>>>>, nest map<text, frozen<set<bigint>>>, tup tuple<int, text, timestamp>,"
                + " addr frozen<address>, v vector<float, 3>, vt vector<text, 2>)");
        s.execute("INSERT INTO all_types (" + COLUMNS + ") VALUES (1, 'abc', 'ünïcödé \"q\"', 'v', -7, 300, -100000, 9007199254740993,"
                + " 1.5, -2.25, 12.345, 123456789012345678901234567890, true, '2024-01-02 03:04:05.678+0000', '2024-02-29',"
                + " '13:45:07.000000123', 1mo2d3h, 0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6, 5f1e8a40-a9c9-11ee-8c90-0242ac120002,"
                + " '10.1.2.3', 0xcafe00, [3, 1, 2], {'b', 'a'}, {'x': 1, 'y': 2}, {2: 'two', 1: 'one'}, [{'a': 1}, {}],"
                + " {'k': {2, 1}}, (7, null, '2024-01-02 03:04:05.678+0000'), {street: 'Main St', zip: 12345, tags: ['home']},"
                + " [1.0, -2.5, 3.25], ['ab', 'c'])");
        s.execute("INSERT INTO all_types (k) VALUES (2)");
        s.execute("DROP TABLE IF EXISTS ctr");
        s.execute("CREATE TABLE ctr (k int PRIMARY KEY, hits counter, misses counter)");
        s.execute("UPDATE ctr SET hits = hits + 5 WHERE k = 1");
    }

    @AfterAll
    static void close() {
        OPEN.forEach(Frame::close);
    }

    static Frame table(String cql) {
        DataResponse r = TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("A", TestNode.model(cql, null), 0, 1));
        assertEquals(200, r.status(), r.error());
        assertNull(r.error());
        assertNull(r.errorSource());
        assertEquals(1, r.frames().size());
        Frame f = r.frames().get(0);
        OPEN.add(f);
        assertEquals("A", f.name());
        assertEquals("A", f.refId());
        assertEquals("table", f.meta().preferredVisualisationType());
        assertEquals(cql, f.meta().executedQueryString());
        assertTrue(ArrowFrameWriter.write(f).length > 0); // every type encodes
        return f;
    }

    static final Map<String, FieldType> TYPES = new LinkedHashMap<>();

    static {
        String[] cols = COLUMNS.split(", ");
        FieldType[] types = {FieldType.INT32, FieldType.STRING, FieldType.STRING, FieldType.STRING, FieldType.INT8, FieldType.INT16,
                FieldType.INT32, FieldType.INT64, FieldType.FLOAT32, FieldType.FLOAT64, FieldType.FLOAT64, FieldType.FLOAT64, FieldType.BOOL,
                FieldType.TIME, FieldType.TIME, FieldType.STRING, FieldType.STRING, FieldType.STRING, FieldType.STRING, FieldType.STRING,
                FieldType.STRING, FieldType.JSON, FieldType.JSON, FieldType.JSON, FieldType.JSON, FieldType.JSON, FieldType.JSON,
                FieldType.JSON, FieldType.JSON, FieldType.JSON, FieldType.JSON};
        for (int i = 0; i < cols.length; i++) {
            TYPES.put(cols[i], types[i]);
        }
    }

    static void assertTypes(Frame f) {
        assertEquals(new ArrayList<>(TYPES.keySet()), f.fields().stream().map(Field::name).toList());
        for (Field field : f.fields()) {
            assertEquals(TYPES.get(field.name()), field.type(), field.name());
            assertTrue(field.nullable(), field.name());
        }
    }

    @Test
    void everyTypeWithValues() {
        Frame f = table("SELECT " + COLUMNS + " FROM all_types WHERE k = 1");
        assertTypes(f);
        assertEquals(1, f.rowCount());
        List<Object> expected = Arrays.asList(1L, "abc", "ünïcödé \"q\"", "v", -7L, 300L, -100000L, 9007199254740993L, 1.5, -2.25, 12.345,
                1.2345678901234568e29, true,
                Instant.parse("2024-01-02T03:04:05.678Z").toEpochMilli() * 1_000_000L,
                Instant.parse("2024-02-29T00:00:00Z").toEpochMilli() * 1_000_000L,
                "13:45:07.000000123", "1mo2d3h", "0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6", "5f1e8a40-a9c9-11ee-8c90-0242ac120002",
                "10.1.2.3", "0xcafe00", "[3,1,2]", "[\"a\",\"b\"]", "{\"x\":1,\"y\":2}", "{\"1\":\"one\",\"2\":\"two\"}", "[{\"a\":1},{}]",
                "{\"k\":[1,2]}", "[7,null,\"2024-01-02T03:04:05.678Z\"]", "{\"street\":\"Main St\",\"zip\":12345,\"tags\":[\"home\"]}",
                "[1.0,-2.5,3.25]", "[\"ab\",\"c\"]");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), f.field(i).getObject(0), f.field(i).name());
        }
    }

    @Test
    void everyTypeWithNulls() {
        Frame f = table("SELECT " + COLUMNS + " FROM all_types WHERE k = 2");
        assertTypes(f);
        assertEquals(1, f.rowCount());
        assertEquals(2L, f.field(0).getObject(0));
        for (int i = 1; i < f.fields().size(); i++) {
            assertTrue(f.field(i).isNull(0), f.field(i).name());
        }
    }

    @Test
    void emptyResultKeepsTypedColumns() {
        Frame f = table("SELECT " + COLUMNS + " FROM all_types WHERE k = 999");
        assertTypes(f);
        assertEquals(0, f.rowCount());
    }

    @Test
    void counters() {
        Frame f = table("SELECT k, hits, misses FROM ctr WHERE k = 1");
        assertEquals(List.of(FieldType.INT32, FieldType.INT64, FieldType.INT64), f.fields().stream().map(Field::type).toList());
        assertEquals(Arrays.asList(1L, 5L, null), List.of(0, 1, 2).stream().map(i -> f.field(i).getObject(0)).toList());
    }

    @Test
    void functionsAndAliasesNameTheColumns() {
        Frame f = table("SELECT toUnixTimestamp(ts) AS ms, ttl(t) AS ttl_t, blobAsInt(intAsBlob(i)) FROM all_types WHERE k = 1");
        assertEquals(List.of("ms", "ttl_t", "system.blobasint(system.intasblob(i))"), f.fields().stream().map(Field::name).toList());
        assertEquals(Instant.parse("2024-01-02T03:04:05.678Z").toEpochMilli(), f.field(0).getObject(0));
        assertEquals(FieldType.INT32, f.field(1).type());
        assertTrue(f.field(1).isNull(0)); // no TTL
        assertEquals(-100000L, f.field(2).getObject(0));
    }
}
