package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.Version;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import io.opencql.grafana.data.TimeGroup;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure core of time grouping on the node: which texts and tables fit, and the statement written. */
class TimeGroupPlannerTest {

    static final TimeGroupPlanner.TableShape READINGS = new TimeGroupPlanner.TableShape(List.of("sensor", "day"), List.of("ts"),
            Map.<String, DataType>of("sensor", DataTypes.TEXT, "day", DataTypes.DATE, "ts", DataTypes.TIMESTAMP, "v", DataTypes.DOUBLE,
                    "n", DataTypes.INT, "unit", DataTypes.TEXT, "at", DataTypes.TIMESTAMP, "ok", DataTypes.BOOLEAN));
    static final String WHERE = " WHERE sensor IN ('a', 'b') AND day IN ('2026-01-01') AND ts >= 1767225600000 AND ts <= 1767229200000";

    static TimeGroupPlanner.Decision plan(String cql, TimeGroup.Aggregate agg, long stepMs) {
        return TimeGroupPlanner.plan(SimpleSelect.parse(cql), READINGS, null, agg, stepMs);
    }

    static String reason(String cql) {
        return assertInstanceOf(TimeGroupPlanner.Fallback.class, plan(cql, TimeGroup.Aggregate.AVG, 60_000)).reason();
    }

    @Test
    void writesTheGroupedStatement() {
        var p = assertInstanceOf(TimeGroupPlanner.Pushdown.class,
                plan("SELECT ts AS \"Time\", sensor, v, n FROM ks.readings" + WHERE + ";", TimeGroup.Aggregate.AVG, 300_000));
        assertEquals("SELECT floor(ts, 5m), sensor, sum(v), count(v), sum(cast(n AS double)), count(n) FROM ks.readings"
                + WHERE + " GROUP BY sensor, day, floor(ts, 5m)", p.cql());
        assertEquals("Time", p.timeName());
        assertEquals(List.of("sensor"), p.dimNames());
        assertEquals(List.of(new TimeGroupPlanner.ValueColumn("v", 2, 3), new TimeGroupPlanner.ValueColumn("n", 4, 5)), p.values());
        assertTrue(p.merges(), "day is not a label: one series spans the day partitions");

        var count = assertInstanceOf(TimeGroupPlanner.Pushdown.class, plan("SELECT ts, v FROM readings WHERE sensor = 'a' AND day = '2026-01-01'"
                + " AND ts >= '2026-01-01 00:00:00+0000' ORDER BY ts DESC", TimeGroup.Aggregate.COUNT, 1500));
        assertEquals("SELECT floor(ts, 1500ms), count(v) FROM readings WHERE sensor = 'a' AND day = '2026-01-01'"
                + " AND ts >= '2026-01-01 00:00:00+0000' GROUP BY sensor, day, floor(ts, 1500ms) ORDER BY ts DESC", count.cql());
        assertEquals(List.of(new TimeGroupPlanner.ValueColumn("v", -1, 1)), count.values());
        assertFalse(count.merges());

        var max = assertInstanceOf(TimeGroupPlanner.Pushdown.class, plan("select TS, Sensor, V, at from readings" + WHERE,
                TimeGroup.Aggregate.MAX, 86_400_000));
        assertEquals("SELECT floor(TS, 1d), Sensor, max(V), count(V) FROM readings" + WHERE
                + " GROUP BY sensor, day, floor(TS, 1d)", max.cql(), "a second timestamp is left out, as the plugin leaves it");
    }

    @Test
    void everyShapeTheNodeCannotGroupIdenticallyHasAReason() {
        assertEquals("aggregate first has no CQL aggregate function", assertInstanceOf(TimeGroupPlanner.Fallback.class,
                plan("SELECT ts, v FROM readings" + WHERE, TimeGroup.Aggregate.FIRST, 60_000)).reason());
        assertTrue(reason("SELECT * FROM readings" + WHERE).startsWith("not a plain SELECT"));
        assertTrue(reason("SELECT ts, sensor, v FROM readings" + WHERE + " LIMIT 10").startsWith("not a plain SELECT"));
        assertTrue(reason("SELECT ts, max(v) FROM readings" + WHERE).startsWith("not a plain SELECT"));
        assertTrue(reason("SELECT ts, v FROM readings" + WHERE + " ALLOW FILTERING").startsWith("not a plain SELECT"));
        assertTrue(reason("SELECT ts, v FROM readings WHERE token(sensor, day) > 0 AND ts >= 0").startsWith("not a plain SELECT"));
        assertTrue(reason("SELECT ts, v FROM readings" + WHERE + "; DROP TABLE x").startsWith("not a plain SELECT"));
        assertEquals("label column unit is not a partition-key column", reason("SELECT ts, sensor, unit, v FROM readings" + WHERE));
        assertEquals("label column ok is not a partition-key column", reason("SELECT ts, ok, v FROM readings" + WHERE));
        assertEquals("no numeric value column", reason("SELECT ts, sensor FROM readings" + WHERE));
        assertEquals("column nope is not in table readings", reason("SELECT ts, nope FROM readings" + WHERE));
        assertEquals("column v is selected twice", reason("SELECT ts, v, v AS w FROM readings" + WHERE));
        assertEquals("time column day is not a timestamp", reason("SELECT day, v FROM readings" + WHERE));
        assertEquals("time column at is not the table's first clustering column", reason("SELECT at, v FROM readings" + WHERE));
        assertEquals("partition-key column day is not restricted by = or IN",
                reason("SELECT ts, v FROM readings WHERE sensor = 'a' AND ts >= 0"));
        assertEquals("partition-key column sensor is not restricted by one = or IN",
                reason("SELECT ts, v FROM readings WHERE sensor > 'a' AND day = '2026-01-01' AND ts >= 0"));
        assertEquals("the WHERE clause restricts column n, which is neither partition key nor time",
                reason("SELECT ts, v FROM readings" + WHERE + " AND n = 3"));
        assertEquals("ORDER BY across partitions interleaves the rows of several series",
                reason("SELECT ts, v FROM readings" + WHERE + " ORDER BY ts DESC"));
        String noBound = "no lower bound on ts at or after 1970-01-01 (e.g. $__timeFilter(ts))";
        assertEquals(noBound, reason("SELECT ts, v FROM readings WHERE sensor = 'a' AND day = '2026-01-01'"));
        assertEquals(noBound, reason("SELECT ts, v FROM readings WHERE sensor = 'a' AND day = '2026-01-01' AND ts <= 5"));
        assertEquals(noBound, reason("SELECT ts, v FROM readings WHERE sensor = 'a' AND day = '2026-01-01' AND ts >= -60000"));
        assertEquals(noBound, reason("SELECT ts, v FROM readings WHERE sensor = 'a' AND day = '2026-01-01' AND ts >= '1969-12-31'"));
        assertEquals(noBound, reason("SELECT ts, v FROM readings WHERE sensor = 'a' AND day = '2026-01-01' AND ts >= now"));
        assertEquals("table readings is not in the driver's schema metadata", assertInstanceOf(TimeGroupPlanner.Fallback.class,
                TimeGroupPlanner.plan(SimpleSelect.parse("SELECT ts, v FROM readings" + WHERE), null, null, TimeGroup.Aggregate.AVG, 1000))
                .reason());
        assertEquals("no timestamp column to group by", assertInstanceOf(TimeGroupPlanner.Fallback.class,
                TimeGroupPlanner.plan(SimpleSelect.parse("SELECT ts, v FROM readings" + WHERE), READINGS, "nope", TimeGroup.Aggregate.AVG, 1000))
                .reason());
    }

    @Test
    void parsesQuotedNamesLiteralsAndComments() {
        SimpleSelect s = SimpleSelect.parse("SELECT \"Ts\" AS t, v -- the value\nFROM \"Ks\".\"My \"\"T\"\"\" WHERE k IN ('a''b', 'c')"
                + " AND ts >= '2026-01-01T00:00:00Z' /* x */ AND x = 0x0aff AND u = 123e4567-e89b-12d3-a456-426614174000");
        assertNotNull(s);
        assertEquals(List.of(new SimpleSelect.Column("Ts", "t", "\"Ts\""), new SimpleSelect.Column("v", "v", "v")), s.columns());
        assertEquals("Ks", s.keyspace());
        assertEquals("My \"T\"", s.tableName());
        assertEquals(List.of(new SimpleSelect.Relation("k", "IN", "('a''b', 'c')"),
                new SimpleSelect.Relation("ts", ">=", "'2026-01-01T00:00:00Z'"), new SimpleSelect.Relation("x", "=", "0x0aff"),
                new SimpleSelect.Relation("u", "=", "123e4567-e89b-12d3-a456-426614174000")), s.relations());
        assertNull(SimpleSelect.parse("SELECT DISTINCT sensor FROM t"));
        assertNull(SimpleSelect.parse("SELECT JSON ts FROM t"));
        assertNull(SimpleSelect.parse("SELECT ts FROM t WHERE k = ?"));
        assertNull(SimpleSelect.parse("SELECT ts FROM t WHERE (a, b) IN ((1, 2))"));
        assertNull(SimpleSelect.parse("SELECT ts FROM t WHERE k = 'unterminated"));
        assertNull(SimpleSelect.parse("SELECT ts FROM t GROUP BY k"));
        assertNull(SimpleSelect.parse("INSERT INTO t (a) VALUES (1)"));
    }

    @Test
    void timestampLiteralsAndDurations() {
        assertEquals(1767225600000L, TimeGroupPlanner.timestampMs("1767225600000"));
        assertEquals(1767225600000L, TimeGroupPlanner.timestampMs("'2026-01-01T00:00:00Z'"));
        assertEquals(1767225600000L, TimeGroupPlanner.timestampMs("'2026-01-01 01:00:00.000+0100'"));
        assertEquals(1767225600000L - 86_400_000L, TimeGroupPlanner.timestampMs("'2026-01-01'"), "no zone: a day's margin");
        assertEquals(-1, TimeGroupPlanner.timestampMs("'yesterday'"));
        assertEquals("1ms", TimeGroupPlanner.duration(1));
        assertEquals("90s", TimeGroupPlanner.duration(90_000));
        assertEquals("7m", TimeGroupPlanner.duration(420_000));
        assertEquals("3h", TimeGroupPlanner.duration(10_800_000));
        assertEquals("7d", TimeGroupPlanner.duration(604_800_000));
    }

    @Test
    void aGroupedPageReadsAboutTheRowsOfARawPage() {
        assertEquals(500, TimeGroupOnNode.groupsPerPage(5000, 10_000), "10-second groups of 1-second rows: 5,000 rows a page");
        assertEquals(100, TimeGroupOnNode.groupsPerPage(5000, 60_000), "1-minute groups: 6,000 rows a page");
        assertEquals(5000, TimeGroupOnNode.groupsPerPage(5000, 1000));
        assertEquals(5000, TimeGroupOnNode.groupsPerPage(5000, 500));
        assertEquals(100, TimeGroupOnNode.groupsPerPage(5000, 3_600_000), "never fewer than 100 groups a round trip");
        assertEquals(11, TimeGroupOnNode.groupsPerPage(11, 60_000), "a row limit's smaller page stays");
    }

    @Test
    void onlyClustersWhoseEveryNodeIsCassandra5GroupOnTheNode() {
        assertTrue(TimeGroupCapability.versionsAllow(List.of(node("5.0.9"), node("5.0.0"))));
        assertFalse(TimeGroupCapability.versionsAllow(List.of(node("5.0.9"), node("4.1.10"))), "a rolling upgrade half done");
        assertFalse(TimeGroupCapability.versionsAllow(List.of(node("3.0.8"))), "ScyllaDB reports 3.0.8");
        assertFalse(TimeGroupCapability.versionsAllow(List.of(node("5.0-beta1"))));
        assertFalse(TimeGroupCapability.versionsAllow(List.of(node(null))), "no version known");
        assertFalse(TimeGroupCapability.versionsAllow(List.of()));
    }

    /** Driver metadata (not the database): a node that reports only its release version. */
    static Node node(String version) {
        Version v = version == null ? null : Version.parse(version);
        return (Node) Proxy.newProxyInstance(Node.class.getClassLoader(), new Class<?>[] {Node.class},
                (proxy, m, args) -> m.getName().equals("getCassandraVersion") ? v : null);
    }
}
