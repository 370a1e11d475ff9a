package io.opencql.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Seeds the demo keyspace behind the provisioned dashboards.
 *
 * <p>As a library (e.g. in another module's integration tests):
 * <pre>{@code
 * SeedReport r = DemoSeed.seed(session, SeedOptions.defaults().withKeyspace("it_demo").withNow(fixedInstant));
 * }</pre>
 * As a program: {@code java -jar demo-seed-<version>-all.jar --help}.
 */
public final class DemoSeed {

    /** Classpath resource with the schema (runnable with cqlsh). */
    public static final String SCHEMA_RESOURCE = "demo-schema.cql";
    /** Classpath resource with the rows of {@code all_types}. */
    public static final String ALL_TYPES_RESOURCE = "demo-all-types.cql";
    /** Pages whose hit counters {@code page_hits} holds. */
    public static final List<String> PAGES = List.of("/", "/d/cql-demo", "/explore", "/alerting/list");

    /** Rows per single-partition unlogged batch: well under Cassandra's 5 KiB batch warning threshold. */
    static final int BATCH_ROWS = 40;
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

    private DemoSeed() {}

    /** Whether the schema has the optional vector column and how many optional statements the server refused. */
    public record SchemaResult(boolean vectorColumn, int skipped) {}

    /**
     * Creates the keyspace and tables, writes sensors, readings, events, all_types rows and counters.
     * Rerunning rewrites the same rows (the model is a pure function of time), except the {@code page_hits}
     * counters, which can only grow.
     */
    public static SeedReport seed(CqlSession session, SeedOptions options) {
        return seed(session, options, msg -> { });
    }

    /** As {@link #seed(CqlSession, SeedOptions)}, reporting skipped optional statements to {@code log}. */
    public static SeedReport seed(CqlSession session, SeedOptions options, Consumer<String> log) {
        long t0 = System.nanoTime();
        String ks = options.keyspace();
        if (options.dropFirst()) {
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + ks).setTimeout(DDL_TIMEOUT));
        }
        SchemaResult schema = applySchema(session, ks, log);
        List<Sensor> sensors = SensorCatalog.sensors(options.sensors());
        Writes writes = new Writes(session, ks);
        AsyncWriter writer = new AsyncWriter(session, options.concurrency());

        for (Sensor s : sensors) {
            writer.write(writes.sensor(s));
        }
        SeedOptions.TimeGrid grid = options.grid(Instant.now());
        long readings = 0;
        for (Sensor s : sensors) {
            BatchStatementBuilder batch = null;
            LocalDate batchDay = null;
            for (long i = 0; i < grid.count(); i++) {
                Optional<Reading> r = ReadingModel.reading(s, grid.at(i));
                if (r.isEmpty()) {
                    continue;
                }
                if (batch != null && (!r.get().day().equals(batchDay) || batch.getStatementsCount() >= BATCH_ROWS)) {
                    writer.write(batch.build());
                    batch = null;
                }
                if (batch == null) {
                    batch = BatchStatement.builder(BatchType.UNLOGGED).setIdempotence(true); // inserts of fixed values
                    batchDay = r.get().day();
                }
                batch.addStatement(writes.reading(r.get()));
                readings++;
            }
            if (batch != null) {
                writer.write(batch.build());
            }
        }
        List<DemoEvent> events = grid.count() == 0 ? List.of()
                : DemoEvents.between(sensors, grid.first(), grid.last().plus(grid.step()));
        for (DemoEvent e : events) {
            writer.write(writes.event(e));
        }
        writer.await();

        int skipped = schema.skipped();
        int allTypesRows = 0;
        for (CqlScript.Statement st : CqlScript.resource(ALL_TYPES_RESOURCE, ks)) {
            boolean ok = execute(session, st, log);
            if (!ok) {
                skipped++;
            } else if (st.cql().regionMatches(true, 0, "INSERT", 0, 6)) {
                allTypesRows++;
            }
        }
        for (int i = 0; i < PAGES.size(); i++) {
            writer.write(writes.hits(PAGES.get(i), 1000L * (PAGES.size() - i) + 17L * i));
        }
        writer.await();
        return new SeedReport(ks, sensors.size(), readings, events.size(), allTypesRows, grid.first(), grid.last(),
                schema.vectorColumn(), skipped, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Applies {@link #SCHEMA_RESOURCE} to {@code keyspace}. Idempotent. On ScyllaDB the keyspace is created
     * with tablets disabled (counters need vnodes there); other servers reject that option and get the plain
     * statement.
     */
    public static SchemaResult applySchema(CqlSession session, String keyspace, Consumer<String> log) {
        boolean vector = false;
        int skipped = 0;
        for (CqlScript.Statement st : CqlScript.resource(SCHEMA_RESOURCE, keyspace)) {
            if (st.isCreateKeyspace()) {
                createKeyspace(session, st.cql());
                continue;
            }
            boolean ok = execute(session, st, log);
            if (st.cql().contains("c_vector")) {
                vector = ok;
            }
            if (!ok) {
                skipped++;
            }
        }
        return new SchemaResult(vector, skipped);
    }

    private static void createKeyspace(CqlSession session, String cql) {
        try {
            session.execute(SimpleStatement.newInstance(cql + " AND tablets = {'enabled': false}")
                    .setTimeout(DDL_TIMEOUT));
        } catch (QueryValidationException notScylla) {
            session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
        }
    }

    /** Runs one statement; an {@code @optional} one that the server refuses is reported and skipped. */
    private static boolean execute(CqlSession session, CqlScript.Statement st, Consumer<String> log) {
        try {
            session.execute(SimpleStatement.newInstance(st.cql()).setTimeout(DDL_TIMEOUT));
            return true;
        } catch (QueryValidationException e) {
            if (!st.optional()) {
                throw e;
            }
            String msg = String.valueOf(e.getMessage());
            String lower = msg.toLowerCase(Locale.ROOT);
            if (lower.contains("already exist") || lower.contains("conflicts with an existing column")) {
                return true; // an ALTER ... ADD applied by an earlier run
            }
            log.accept("skipped optional statement (" + DemoSession.firstLine(msg) + "): "
                    + DemoSession.firstLine(st.cql()));
            return false;
        }
    }

    /**
     * Writes a reading of every sensor at the current time every {@code interval} (and the events and hit
     * counts of that interval) while {@code keepRunning} holds. Returns the number of readings written.
     */
    public static long follow(CqlSession session, SeedOptions options, Duration interval, BooleanSupplier keepRunning,
                              Consumer<String> log) throws InterruptedException {
        List<Sensor> sensors = SensorCatalog.sensors(options.sensors());
        Writes writes = new Writes(session, options.keyspace());
        AsyncWriter writer = new AsyncWriter(session, options.concurrency());
        Instant last = Instant.now();
        long written = 0;
        long ticks = 0;
        long nextLog = System.nanoTime();
        while (keepRunning.getAsBoolean()) {
            long sleep = interval.toMillis() - Math.floorMod(Instant.now().toEpochMilli(), interval.toMillis());
            Thread.sleep(Math.max(1, sleep)); // ticks on multiples of the interval: even spacing in the panel
            if (!keepRunning.getAsBoolean()) {
                break;
            }
            Instant now = Instant.now();
            Instant ts = Instant.ofEpochMilli(now.toEpochMilli() - Math.floorMod(now.toEpochMilli(), interval.toMillis()));
            for (Sensor s : sensors) {
                Optional<Reading> r = ReadingModel.reading(s, ts);
                if (r.isPresent()) {
                    writer.write(writes.reading(r.get()));
                    written++;
                }
            }
            for (DemoEvent e : DemoEvents.between(sensors, last, ts.plusMillis(1))) {
                writer.write(writes.event(e));
                log.accept("event: " + e.text() + " at " + e.time());
            }
            // a few page views per tick, spread unevenly like real traffic
            ticks++;
            for (int i = 0; i < PAGES.size(); i++) {
                long views = Math.round(Math.max(0, 3 + 3 * Noise.unit(i, ticks) - i));
                if (views > 0) {
                    writer.write(writes.hits(PAGES.get(i), views));
                }
            }
            writer.await();
            last = ts.plusMillis(1);
            if (System.nanoTime() >= nextLog) {
                log.accept("follow: " + written + " live readings written, last at " + ts);
                nextLog = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            }
        }
        writer.await();
        return written;
    }

    public static void main(String[] args) {
        CliArgs cli;
        try {
            cli = CliArgs.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("demo-seed: " + e.getMessage());
            System.err.print(CliArgs.USAGE);
            System.exit(2);
            return;
        }
        if (cli.help()) {
            System.out.print(CliArgs.USAGE);
            return;
        }
        // exit explicitly: the driver's threads are not daemons, and an error must not leave the JVM hanging
        System.exit(run(cli));
    }

    static int run(CliArgs cli) {
        Consumer<String> log = msg -> System.out.println("demo-seed: " + msg);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            main.interrupt();
            try {
                stopped.await(10, TimeUnit.SECONDS); // let the session close cleanly on SIGTERM
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "demo-seed-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            log.accept("connecting to " + DemoSession.describe(cli.connect().contactPoints()));
            try (CqlSession session = DemoSession.open(cli.connect(), log)) {
                SeedReport report = seed(session, cli.seed(), log);
                log.accept("seeded " + report);
                if (cli.follow()) {
                    log.accept("following: a reading per sensor every " + cli.followInterval().toMillis()
                            + " ms until stopped");
                    long n = follow(session, cli.seed(), cli.followInterval(), () -> !stopping.get(), log);
                    log.accept("stopped after " + n + " live readings");
                }
            }
            return 0;
        } catch (InterruptedException e) {
            log.accept("stopped");
            return 0;
        } catch (RuntimeException e) {
            System.err.println("demo-seed: failed: " + e);
            Throwable c = e.getCause();
            while (c != null) {
                System.err.println("  caused by: " + c);
                c = c.getCause();
            }
            return 1;
        } finally {
            stopped.countDown();
        }
    }

    /** The prepared writes, bound from the model's records; absent values stay unset (no tombstones). */
    private static final class Writes {
        private final PreparedStatement sensor;
        private final PreparedStatement reading;
        private final PreparedStatement event;
        private final PreparedStatement hits;

        Writes(CqlSession session, String ks) {
            sensor = session.prepare("INSERT INTO " + ks + ".sensors (sensor_id, site, kind, location, installed)"
                    + " VALUES (?, ?, ?, ?, ?)");
            reading = session.prepare("INSERT INTO " + ks + ".sensor_readings (sensor_id, day, ts, site, temperature,"
                    + " humidity, pressure, battery, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            event = session.prepare("INSERT INTO " + ks + ".events (day, time, timeend, site, text, tags)"
                    + " VALUES (?, ?, ?, ?, ?, ?)");
            hits = session.prepare("UPDATE " + ks + ".page_hits SET hits = hits + ? WHERE page = ?");
        }

        BoundStatement sensor(Sensor s) {
            return sensor.bind(s.id(), s.site(), s.kind(), s.location(), s.installed()).setIdempotent(true);
        }

        BoundStatement reading(Reading r) {
            BoundStatementBuilder b = reading.boundStatementBuilder()
                    .setString(0, r.sensorId())
                    .setLocalDate(1, r.day())
                    .setInstant(2, r.ts())
                    .setString(3, r.site())
                    .setDouble(4, r.temperature())
                    .setFloat(5, r.humidity())
                    .setInt(7, r.battery())
                    .setString(8, r.status());
            if (r.pressure() != null) {
                b.setDouble(6, r.pressure());
            }
            return b.setIdempotence(true).build();
        }

        BoundStatement event(DemoEvent e) {
            BoundStatementBuilder b = event.boundStatementBuilder()
                    .setLocalDate(0, e.day())
                    .setInstant(1, e.time())
                    .setString(3, e.site())
                    .setString(4, e.text())
                    .setString(5, e.tags());
            if (e.timeEnd() != null) {
                b.setInstant(2, e.timeEnd());
            }
            return b.setIdempotence(true).build();
        }

        BoundStatement hits(String page, long n) {
            return hits.bind(n, page);
        }
    }
}
