package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeder against a real node: {@code CQL_TEST_HOST} (system property or environment, {@code host:port},
 * default 127.0.0.1:19042 where {@code tools/cassandra-node.sh start} puts one), {@code CQL_TEST_USER} /
 * {@code CQL_TEST_PASSWORD} (default cassandra/cassandra). Fails with instructions when no node answers.
 */
class DemoSeedIT {

    private static final String KS = "it_demo_seed";
    /** Six hours across a UTC midnight, so the readings land in two day buckets. */
    private static final Instant NOW = Instant.parse("2025-03-10T03:00:00Z");

    private static CqlSession session;
    private static SeedReport report;

    @BeforeAll
    static void seed() throws InterruptedException {
        String hostPort = setting("CQL_TEST_HOST", "127.0.0.1:19042");
        String user = setting("CQL_TEST_USER", "cassandra");
        String password = setting("CQL_TEST_PASSWORD", "cassandra");
        List<InetSocketAddress> points = ConnectOptions.parseContactPoints(hostPort, 9042);
        InetSocketAddress first = points.get(0);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(first.getHostString(), first.getPort()), 3000);
        } catch (IOException e) {
            fail("no CQL node at " + hostPort + ": start one with `CASS_PORT=" + first.getPort()
                    + " bash tools/cassandra-node.sh start` or set CQL_TEST_HOST=host:port (" + e.getMessage() + ")");
        }
        session = DemoSession.open(new ConnectOptions(points, null, user, password, Duration.ofSeconds(30)), m -> { });
        report = DemoSeed.seed(session, SeedOptions.defaults().withKeyspace(KS).withNow(NOW).withDropFirst(true));
    }

    @AfterAll
    static void drop() {
        if (session != null) {
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + KS).setTimeout(Duration.ofSeconds(60)));
            session.close();
        }
    }

    private static String setting(String name, String fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    private static long expectedReadings(Sensor s) {
        SeedOptions.TimeGrid g = SeedOptions.defaults().withNow(NOW).grid(NOW);
        long n = 0;
        for (long i = 0; i < g.count(); i++) {
            n += ReadingModel.reading(s, g.at(i)).isPresent() ? 1 : 0;
        }
        return n;
    }

    private static long count(String sensor, LocalDate... days) {
        long n = 0;
        for (LocalDate d : days) {
            n += session.execute("SELECT count(*) FROM " + KS + ".sensor_readings WHERE sensor_id = ? AND day = ?",
                    sensor, d).one().getLong(0);
        }
        return n;
    }

    @Test
    void everySensorHasItsReadingsInBothDayBuckets() {
        LocalDate before = LocalDate.of(2025, 3, 9);
        LocalDate after = LocalDate.of(2025, 3, 10);
        long total = 0;
        for (Sensor s : SensorCatalog.BUILT_IN) {
            long n = count(s.id(), before, after);
            assertEquals(expectedReadings(s), n, s.id());
            if (!s.dropsOut()) {
                assertEquals(181, count(s.id(), after), s.id() + ": 00:00..03:00 is the second day's part");
            }
            total += n;
        }
        assertEquals(total, report.readings());
        assertEquals(Instant.parse("2025-03-09T21:01:00Z"), report.first());
        assertEquals(NOW, report.last());
        assertEquals(8, session.execute("SELECT * FROM " + KS + ".sensors").all().size());
    }

    @Test
    void storedValuesAreTheModelsValues() {
        Sensor yard = SensorCatalog.BUILT_IN.stream().filter(Sensor::hasBarometer).findFirst().orElseThrow();
        Instant ts = Instant.parse("2025-03-10T01:17:00Z");
        Reading expected = ReadingModel.reading(yard, ts).orElseThrow();
        Row row = session.execute("SELECT * FROM " + KS + ".sensor_readings WHERE sensor_id = ? AND day = ? AND ts = ?",
                yard.id(), expected.day(), ts).one();
        assertEquals(expected.temperature(), row.getDouble("temperature"));
        assertEquals(expected.humidity(), row.getFloat("humidity"));
        assertEquals(expected.pressure(), row.getDouble("pressure"));
        assertEquals(expected.battery(), row.getInt("battery"));
        assertEquals(expected.status(), row.getString("status"));
        assertEquals(yard.site(), row.getString("site"));

        Sensor office = SensorCatalog.BUILT_IN.get(0);
        Row noBarometer = session.execute("SELECT pressure FROM " + KS + ".sensor_readings WHERE sensor_id = ? AND day = ? AND ts = ?",
                office.id(), LocalDate.of(2025, 3, 10), ts).one();
        assertTrue(noBarometer.isNull("pressure"), "unset, not a value");
    }

    @Test
    void eventsAreTheModelsEvents() {
        List<DemoEvent> expected = DemoEvents.between(SensorCatalog.BUILT_IN, report.first(), NOW.plusSeconds(60));
        assertEquals(expected.size(), report.events());
        List<Instant> stored = new ArrayList<>();
        for (LocalDate d : List.of(LocalDate.of(2025, 3, 9), LocalDate.of(2025, 3, 10))) {
            for (Row r : session.execute("SELECT time, timeend, tags FROM " + KS + ".events WHERE day = ?", d)) {
                stored.add(r.getInstant("time"));
            }
        }
        assertEquals(expected.stream().map(DemoEvent::time).toList(), stored);
        assertTrue(expected.stream().anyMatch(e -> e.timeEnd() != null) && expected.stream().anyMatch(e -> e.timeEnd() == null));
    }

    @Test
    void allTypesRowsIncludingNullsAndTheVector() {
        assertEquals(4, report.allTypesRows());
        assertTrue(report.vectorColumn(), "Cassandra 5 has the vector type");
        assertEquals(0, report.skipped());
        Row nulls = session.execute("SELECT * FROM " + KS + ".all_types WHERE id = 3").one();
        assertTrue(nulls.isNull("c_bigint") && nulls.isNull("c_udt") && nulls.isNull("c_vector") && nulls.isNull("c_tuple"));
        Row full = session.execute("SELECT c_vector, c_map, c_duration, c_varint FROM " + KS + ".all_types WHERE id = 1").one();
        assertEquals(List.of(0.1f, 0.2f, 0.3f), toList(full.getObject("c_vector")));
        assertEquals(Map.of("one", 1, "two", 2), full.getMap("c_map", String.class, Integer.class));
        assertEquals("1h30m15s", full.getCqlDuration("c_duration").toString());
        long hits = 0;
        for (Row r : session.execute("SELECT hits FROM " + KS + ".page_hits")) {
            hits += r.getLong(0);
        }
        assertTrue(hits > 0);
    }

    private static List<Object> toList(Object vector) {
        List<Object> out = new ArrayList<>();
        ((Iterable<?>) vector).forEach(out::add);
        return out;
    }

    @Test
    void reseedingRewritesTheSameRows() {
        SeedReport again = DemoSeed.seed(session, SeedOptions.defaults().withKeyspace(KS).withNow(NOW));
        assertEquals(report.readings(), again.readings());
        Sensor s = SensorCatalog.BUILT_IN.get(3);
        assertEquals(expectedReadings(s), count(s.id(), LocalDate.of(2025, 3, 9), LocalDate.of(2025, 3, 10)));
    }

    @Test
    void followWritesLiveReadingsOnTheModelsCurve() throws InterruptedException {
        Instant start = Instant.now();
        long deadline = System.nanoTime() + Duration.ofMillis(2600).toNanos();
        long written = DemoSeed.follow(session, SeedOptions.defaults().withKeyspace(KS), Duration.ofMillis(500),
                () -> System.nanoTime() < deadline, m -> { });
        assertTrue(written >= 8 * 3, "about 5 ticks of 8 sensors, got " + written);
        Sensor s = SensorCatalog.BUILT_IN.get(0);
        List<Row> rows = new ArrayList<>();
        for (LocalDate d : List.of(ReadingModel.day(start), ReadingModel.day(Instant.now()))) {
            rows.addAll(session.execute("SELECT ts, temperature FROM " + KS + ".sensor_readings WHERE sensor_id = ? AND day = ? AND ts >= ?",
                    s.id(), d, start.minusSeconds(1)).all());
            if (d.equals(ReadingModel.day(Instant.now()))) {
                break;
            }
        }
        assertTrue(rows.size() >= 3, "live rows of " + s.id() + ": " + rows.size());
        for (Row r : rows) {
            Instant ts = r.getInstant("ts");
            assertEquals(0, ts.toEpochMilli() % 500, "ticks on multiples of the interval");
            Optional<Reading> expected = ReadingModel.reading(s, ts);
            assertEquals(expected.orElseThrow().temperature(), r.getDouble("temperature"));
        }
    }
}
