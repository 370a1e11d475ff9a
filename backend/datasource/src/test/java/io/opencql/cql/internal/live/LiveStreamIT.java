package io.opencql.cql.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opencql.cql.CqlDataSource;
import io.opencql.cql.DataSourceProbe;
import io.opencql.cql.testing.NodeOutage;
import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.backend.StreamRequest;
import io.opencql.grafana.backend.StreamSender;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Grafana Live against the real node: QueryData issues a channel, SubscribeStream accepts it, RunStream tails new
 * rows (each exactly once, in time order, ties at one millisecond across reads included), stops when cancelled,
 * rides out a database outage, and a new process serves a channel the old one issued.
 */
class LiveStreamIT {

    static final String KS = "live_it";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestNode node;
    static CqlSession admin;

    @TempDir
    Path state;

    private final List<CqlDataSource> dataSources = new ArrayList<>();
    private final List<Runner> runners = new ArrayList<>();

    @BeforeAll
    static void schema() {
        node = TestNode.get();
        admin = node.adminSession();
        admin.execute("CREATE KEYSPACE IF NOT EXISTS " + KS + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        admin.execute("CREATE TABLE IF NOT EXISTS " + KS + ".events (p int, ts timestamp, seq int, v double, PRIMARY KEY (p, ts, seq))");
        admin.execute("CREATE TABLE IF NOT EXISTS " + KS + ".readings (sensor text, ts timestamp, value double, PRIMARY KEY (sensor, ts))");
        admin.execute("CREATE TABLE IF NOT EXISTS " + KS + ".epoch_events (p int, ms bigint, seq int, PRIMARY KEY (p, ms, seq))");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Runner r : runners) {
            r.cancel();
            r.join(10_000);
        }
        dataSources.forEach(CqlDataSource::close);
    }

    // ---- helpers

    CqlDataSource dataSource(Path stateDir) {
        CqlDataSource ds = DataSourceProbe.create(stateDir);
        dataSources.add(ds);
        return ds;
    }

    static PluginContext ctx(String uid, String contactPoint) {
        String json = "{\"contactPoints\":\"" + contactPoint + "\",\"keyspace\":\"" + KS + "\",\"localDatacenter\":\"datacenter1\"}";
        DataSourceSettings ds = new DataSourceSettings(1, uid, "live " + uid, null, null, null, false, null,
                json.getBytes(StandardCharsets.UTF_8), Map.of("username", node.username(), "password", node.password()), 1, "");
        return new PluginContext(1, "opencql-cql-datasource", null, ds, Map.of(), "", "", "");
    }

    static String model(String cql, String extra) {
        return "{\"refId\":\"A\",\"cql\":" + JSON.valueToTree(cql) + ",\"stream\":true" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static DataResponse query(CqlDataSource ds, PluginContext ctx, String modelJson) throws Exception {
        return query(ds, ctx, modelJson, Map.of());
    }

    static DataResponse query(CqlDataSource ds, PluginContext ctx, String modelJson, Map<String, String> headers) throws Exception {
        long now = System.currentTimeMillis();
        DataQuery q = new DataQuery("A", 1000, 1000, new TimeRange(now - 3_600_000, now), modelJson.getBytes(StandardCharsets.UTF_8), "");
        return ds.plugin().queryData().queryData(new QueryDataRequest(ctx, headers, List.of(q)), RequestContext.NONE).responses().get("A");
    }

    /** The path of the channel QueryData gave, checked against the data source's uid. */
    static String path(DataResponse r, String uid) {
        assertEquals(200, r.status(), r.error());
        String channel = r.frames().get(0).meta().channel();
        assertNotNull(channel, "meta.channel");
        assertTrue(channel.startsWith("ds/" + uid + "/tail/"), channel);
        return channel.substring(("ds/" + uid + "/").length());
    }

    static int partition() {
        return new Random().nextInt(1 << 30);
    }

    /** Cancellable context for one RunStream, like the gRPC call's. */
    static final class Cancel implements RequestContext {
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        private volatile boolean cancelled;

        void cancel() {
            cancelled = true;
            listeners.forEach(Runnable::run);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void onCancel(Runnable listener) {
            listeners.add(listener);
            if (cancelled) {
                listener.run();
            }
        }
    }

    /** Packets as the browser would get them; rows decoded with the last schema seen. */
    static final class Packets implements StreamSender {
        final List<JsonNode> packets = new CopyOnWriteArrayList<>();
        final List<Map<String, JsonNode>> rows = new CopyOnWriteArrayList<>();
        final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();
        private List<String> names;

        @Override
        public synchronized void send(byte[] json) {
            JsonNode p;
            try {
                p = JSON.readTree(json);
            } catch (Exception e) {
                throw new AssertionError("a packet is not JSON: " + new String(json, StandardCharsets.UTF_8), e);
            }
            packets.add(p);
            if (p.has("schema")) {
                names = new ArrayList<>();
                p.get("schema").get("fields").forEach(f -> names.add(f.get("name").asText()));
            }
            assertNotNull(names, "a data packet before any schema: " + p);
            JsonNode values = p.get("data").get("values");
            int n = values.get(0).size();
            for (int i = 0; i < n; i++) {
                Map<String, JsonNode> row = new java.util.LinkedHashMap<>();
                for (int k = 0; k < names.size(); k++) {
                    row.put(names.get(k), values.get(k).get(i));
                }
                rows.add(row);
                arrivalNanos.add(System.nanoTime());
            }
        }

        List<Integer> seqs() {
            List<Integer> out = new ArrayList<>();
            rows.forEach(r -> out.add(r.get("seq").asInt()));
            return out;
        }

        boolean waitFor(Predicate<Packets> done, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!done.test(this)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }
    }

    /** A RunStream call on its own thread, as Grafana's call would run on one of the plugin's call threads. */
    final class Runner {
        final Packets packets = new Packets();
        final Cancel cancel = new Cancel();
        final Thread thread;
        volatile Throwable failure;

        Runner(CqlDataSource ds, PluginContext ctx, String path) {
            thread = new Thread(() -> {
                try {
                    ds.plugin().stream().runStream(new StreamRequest(ctx, path, null, Map.of()), packets, cancel);
                } catch (Throwable t) {
                    failure = t;
                }
            }, "test-runstream");
            thread.start();
            runners.add(this);
        }

        void cancel() {
            cancel.cancel();
        }

        /** True when the RunStream call returned within the time. */
        boolean join(long ms) throws InterruptedException {
            thread.join(ms);
            return !thread.isAlive();
        }
    }

    static void awaitAdminSession() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                admin.execute("SELECT release_version FROM system.local");
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    /**
     * Waits until {@code n} more reads of {@code ds}'s tails have answered after the one under way now (which may have
     * begun before the point of interest): a row such a read would send (a duplicate, a row the cursor should skip)
     * has had {@code n} chances to arrive. The bound only stops a hang.
     */
    static void awaitReads(CqlDataSource ds, int n) throws InterruptedException {
        long target = DataSourceProbe.streams(ds).reads() + n + 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (DataSourceProbe.streams(ds).reads() < target) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + n + " more stream reads");
            Thread.sleep(10);
        }
    }

    /** Warnings logged so far that report a failed read. */
    static long failedReads(ListAppender<ILoggingEvent> logs) {
        synchronized (logs) { // the appender appends under its own lock
            return logs.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(": read failed (attempt "))
                    .count();
        }
    }

    static void awaitFailedReads(ListAppender<ILoggingEvent> logs, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (failedReads(logs) < n) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + n + " failed reads to be logged");
            Thread.sleep(10);
        }
    }

    static void insert(PreparedStatement ins, int p, long tsMs, int seq) {
        admin.execute(ins.bind(p, Instant.ofEpochMilli(tsMs), seq, seq * 0.5));
    }

    static void assertExactlyOnceInTimeOrder(Packets got, List<Integer> expected) {
        List<Integer> seqs = got.seqs();
        assertEquals(new HashSet<>(expected), new HashSet<>(seqs), "the rows sent");
        assertEquals(expected.size(), seqs.size(), "no row twice: " + seqs);
        long last = Long.MIN_VALUE;
        for (Map<String, JsonNode> r : got.rows) {
            long ts = r.get("ts").asLong();
            assertTrue(ts >= last, "time order: " + seqs);
            last = ts;
        }
    }

    // ---- tests

    @Test
    void rowsWrittenWhileTheStreamRunsArriveExactlyOnceAndInOrder() throws Exception {
        int p = partition();
        PreparedStatement ins = admin.prepare("INSERT INTO " + KS + ".events (p, ts, seq, v) VALUES (?, ?, ?, ?)");
        long t0 = System.currentTimeMillis() - 10_000;
        for (int s = 0; s < 3; s++) {
            insert(ins, p, t0, s); // already there: in QueryData's answer, never in a packet
        }
        CqlDataSource ds = dataSource(state);
        PluginContext ctx = ctx("live-order", node.contactPoint());
        String cql = "SELECT ts, seq, v FROM events WHERE p = " + p + " AND $__timeFilter(ts)";
        DataResponse answer = query(ds, ctx, model(cql, "\"streamIntervalMs\":250"));
        String path = path(answer, "live-order");
        Frame initial = answer.frames().get(0);
        assertEquals(3, initial.rowCount());
        assertEquals("table", initial.meta().preferredVisualisationType());
        assertEquals(cql.replace("$__timeFilter(ts)", ""), initial.meta().executedQueryString().replaceAll("ts >= \\d+ AND ts <= \\d+", ""));

        assertEquals(StreamReply.Status.OK, ds.plugin().stream().subscribeStream(new StreamRequest(ctx, path, null, Map.of())).status());
        Runner run = new Runner(ds, ctx, path);

        List<Integer> expected = new ArrayList<>();
        long tie = System.currentTimeMillis();
        insert(ins, p, tie, 10);
        expected.add(10);
        assertTrue(run.packets.waitFor(g -> g.seqs().contains(10), 20_000), "rows: " + run.packets.seqs());
        awaitReads(ds, 2); // at least two reads see seq 10 alone
        insert(ins, p, tie, 11); // same millisecond, after the cursor reached it
        insert(ins, p, tie, 9); // same millisecond, sorts BEFORE the rows sent (clustering order)
        expected.addAll(List.of(11, 9));
        assertTrue(run.packets.waitFor(g -> g.seqs().containsAll(List.of(11, 9)), 20_000), "rows: " + run.packets.seqs());
        insert(ins, p, tie, 12);
        insert(ins, p, tie + 3, 13); // a tie and a newer row in one read
        expected.addAll(List.of(12, 13));
        assertTrue(run.packets.waitFor(g -> g.seqs().containsAll(List.of(12, 13)), 20_000), "rows: " + run.packets.seqs());
        Random rnd = new Random(7);
        long ts = tie + 3;
        for (int s = 100; s < 140; s++) {
            ts = rnd.nextInt(3) == 0 ? ts : Math.max(ts + 1, System.currentTimeMillis()); // a third share the previous ms
            insert(ins, p, ts, s);
            expected.add(s);
            Thread.sleep(rnd.nextInt(120));
        }

        assertTrue(run.packets.waitFor(g -> g.rows.size() >= expected.size(), 20_000),
                "rows arrived: " + run.packets.seqs() + ", expected " + expected);
        awaitReads(ds, 4); // any duplicate would come in the next reads
        assertExactlyOnceInTimeOrder(run.packets, expected);
        assertEquals(List.of(10), run.packets.seqs().subList(0, 1));

        // the first packet has the schema, exactly the initial frame's fields; the others only append rows
        JsonNode first = run.packets.packets.get(0);
        List<String> schema = new ArrayList<>();
        first.get("schema").get("fields").forEach(f -> schema.add(f.get("name").asText() + ":" + f.get("type").asText()));
        List<String> initialSchema = new ArrayList<>();
        for (Field f : initial.fields()) {
            initialSchema.add(f.name() + ":" + f.type().simpleType());
        }
        assertEquals(initialSchema, schema);
        assertEquals("A", first.get("schema").get("refId").asText());
        assertEquals("ds/live-order/" + path, first.get("schema").get("meta").get("channel").asText());
        for (JsonNode packet : run.packets.packets.subList(1, run.packets.packets.size())) {
            assertNull(packet.get("schema"), "data-only append: " + packet);
        }
        System.err.printf("FIGURE stream order: %d rows in %d packets, exactly once, in time order%n",
                run.packets.rows.size(), run.packets.packets.size());
        initial.close();
    }

    @Test
    void aTimeSeriesStreamIsALongFrameWithLabelsWhosePacketsAppendToIt() throws Exception {
        String a = "s" + partition();
        String b = "s" + partition();
        PreparedStatement ins = admin.prepare("INSERT INTO " + KS + ".readings (sensor, ts, value) VALUES (?, ?, ?)");
        long t0 = System.currentTimeMillis() - 5_000;
        admin.execute(ins.bind(a, Instant.ofEpochMilli(t0 + 2), 1.0));
        admin.execute(ins.bind(b, Instant.ofEpochMilli(t0 + 1), 2.0));
        CqlDataSource ds = dataSource(state);
        PluginContext ctx = ctx("live-ts", node.contactPoint());
        String cql = "SELECT sensor, ts, value FROM readings WHERE sensor IN ('" + a + "', '" + b + "') AND $__timeFilter(ts)";
        DataResponse answer = query(ds, ctx, model(cql, "\"format\":\"time_series\",\"streamIntervalMs\":250"));
        String path = path(answer, "live-ts");
        try (Frame initial = answer.frames().get(0)) {
            assertEquals("timeseries-long", initial.meta().type());
            assertEquals(List.of("ts", "sensor", "value"), initial.fields().stream().map(Field::name).toList(), "time first");
            assertEquals(List.of(t0 + 1, t0 + 2), List.of(initial.field(0).getLong(0) / 1_000_000, initial.field(0).getLong(1) / 1_000_000),
                    "ascending time across partitions");
        }
        Runner run = new Runner(ds, ctx, path);
        long t1 = System.currentTimeMillis();
        admin.execute(ins.bind(a, Instant.ofEpochMilli(t1), 3.0));
        admin.execute(ins.bind(b, Instant.ofEpochMilli(t1 + 1), 4.0));
        assertTrue(run.packets.waitFor(g -> g.rows.size() >= 2, 10_000), "rows: " + run.packets.rows);
        JsonNode schema = run.packets.packets.get(0).get("schema");
        assertEquals("timeseries-long", schema.get("meta").get("type").asText());
        assertEquals(List.of("ts", "sensor", "value"), new ArrayList<>(run.packets.rows.get(0).keySet()));
        assertEquals(List.of(a, b), run.packets.rows.stream().map(r -> r.get("sensor").asText()).toList(), "time order across sensors");
        assertEquals(List.of(3.0, 4.0), run.packets.rows.stream().map(r -> r.get("value").asDouble()).toList());
    }

    @Test
    void aRowThatBecomesVisibleAfterANewerOneStillArrivesOnce() throws Exception {
        int p = partition();
        PreparedStatement ins = admin.prepare("INSERT INTO " + KS + ".events (p, ts, seq, v) VALUES (?, ?, ?, ?)");
        CqlDataSource ds = dataSource(state);
        PluginContext ctx = ctx("live-late", node.contactPoint());
        String path = path(query(ds, ctx, model("SELECT ts, seq FROM events WHERE p = " + p + " AND $__timeFilter(ts)",
                "\"streamIntervalMs\":250")), "live-late");
        Runner run = new Runner(ds, ctx, path);
        long t = System.currentTimeMillis();
        insert(ins, p, t, 1);
        assertTrue(run.packets.waitFor(g -> g.rows.size() == 1, 10_000));
        insert(ins, p, t - 400, 2); // a slower writer's row: older than the newest sent, within the lateness (1 s)
        insert(ins, p, t - 5_000, 3); // older than that: not streamed (it shows on the next refresh)
        insert(ins, p, t + 10, 4);
        assertTrue(run.packets.waitFor(g -> g.rows.size() >= 3, 10_000), "rows: " + run.packets.seqs());
        awaitReads(ds, 4); // row 3, or a duplicate, would come in the next reads
        assertEquals(List.of(1, 2, 4), run.packets.seqs());
    }

    @Test
    void cancellingEndsTheCallAndLeavesNothingRunning() throws Exception {
        int p = partition();
        PreparedStatement ins = admin.prepare("INSERT INTO " + KS + ".events (p, ts, seq, v) VALUES (?, ?, ?, ?)");
        CqlDataSource ds = dataSource(state);
        PluginContext ctx = ctx("live-cancel", node.contactPoint());
        String path = path(query(ds, ctx, model("SELECT ts, seq FROM events WHERE p = " + p + " AND $__timeFilter(ts)",
                "\"streamIntervalMs\":250")), "live-cancel");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Runner run = new Runner(ds, ctx, path);
        insert(ins, p, System.currentTimeMillis(), 1);
        assertTrue(run.packets.waitFor(g -> g.rows.size() == 1, 10_000));
        assertEquals(1, DataSourceProbe.streams(ds).running());

        long t = System.nanoTime();
        run.cancel();
        assertTrue(run.join(2_000), "RunStream returned after cancel");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
        assertNull(run.failure);
        assertEquals(0, DataSourceProbe.streams(ds).running());
        insert(ins, p, System.currentTimeMillis(), 2);
        List<String> added = new ArrayList<>();
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(th) && th.isAlive() && !th.getName().startsWith("cql-")) { // the session's own threads stay
                added.add(th.getName());
            }
        }
        assertEquals(List.of(), added, "threads the stream left behind");
        // proof that row 2 was there to be read: a new run of the channel reads it (and reads on)
        Runner again = new Runner(ds, ctx, path);
        assertTrue(again.packets.waitFor(g -> g.seqs().contains(2), 10_000), "the new run's rows: " + again.packets.seqs());
        awaitReads(ds, 2);
        assertEquals(List.of(1), run.packets.seqs(), "nothing sent after the cancel");
        again.cancel();
        assertTrue(again.join(2_000));
        System.err.printf("FIGURE stream cancel: RunStream returned %d ms after the cancel%n", ms);
    }

    @Test
    void cancellingWhileTheDatabaseIsUnreachableIsPromptToo() throws Exception {
        CqlDataSource ds = dataSource(state);
        String path = path(query(ds, ctx("live-unreachable", node.contactPoint()),
                model("SELECT ts, seq FROM events WHERE p = 1 AND $__timeFilter(ts)", "")), "live-unreachable");
        // the same data source, its settings changed to a port nothing listens on (as Grafana re-runs streams)
        DataSourceSettings good = ctx("live-unreachable", node.contactPoint()).dataSource();
        DataSourceSettings down = new DataSourceSettings(good.id(), good.uid(), good.name(), null, null, null, false, null,
                ("{\"contactPoints\":\"127.0.0.1:1\",\"keyspace\":\"" + KS + "\",\"localDatacenter\":\"datacenter1\"}")
                        .getBytes(StandardCharsets.UTF_8), good.decryptedSecureJsonData(), 2, "");
        PluginContext unreachable = new PluginContext(1, "opencql-cql-datasource", null, down, Map.of(), "", "", "");
        Logger tailLog = (Logger) LoggerFactory.getLogger(LiveTail.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        tailLog.addAppender(logs);
        try {
            Runner run = new Runner(ds, unreachable, path);
            awaitFailedReads(logs, 1); // first read failed, waiting to retry (the warning is logged before the wait)
            long t = System.nanoTime();
            run.cancel();
            assertTrue(run.join(2_000), "RunStream returned after cancel");
            System.err.printf("FIGURE stream cancel during back-off: returned %d ms after the cancel%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
            assertEquals(0, run.packets.packets.size());
        } finally {
            tailLog.detachAppender(logs);
        }
    }

    @Test
    void aDatabaseOutageIsRiddenOutWithoutLosingOrRepeatingARow() throws Exception {
        Logger tailLog = (Logger) LoggerFactory.getLogger(LiveTail.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        tailLog.addAppender(logs);
        try (NodeOutage outage = NodeOutage.forNode(node)) {
            System.err.println("outage by " + outage.describe());
            int p = partition();
            PreparedStatement ins = admin.prepare("INSERT INTO " + KS + ".events (p, ts, seq, v) VALUES (?, ?, ?, ?)");
            CqlDataSource ds = dataSource(state);
            PluginContext ctx = ctx("live-outage", outage.contactPoint());
            String path = path(query(ds, ctx, model("SELECT ts, seq, v FROM events WHERE p = " + p + " AND $__timeFilter(ts)",
                    "\"streamIntervalMs\":250")), "live-outage");
            Runner run = new Runner(ds, ctx, path);
            List<Integer> expected = new ArrayList<>();
            for (int s = 1; s <= 5; s++) {
                insert(ins, p, System.currentTimeMillis(), s);
                expected.add(s);
                Thread.sleep(100);
            }
            assertTrue(run.packets.waitFor(g -> g.rows.size() >= 5, 10_000));
            long tie = System.currentTimeMillis();
            insert(ins, p, tie, 6); // possibly read before the outage, possibly after: once either way
            expected.add(6);

            long failedBefore = failedReads(logs);
            long downAt = System.nanoTime();
            outage.down();
            awaitFailedReads(logs, failedBefore + 2); // several failed reads
            assertTrue(run.thread.isAlive(), "the stream stays open while the database is away");
            assertNull(run.failure);
            outage.up();
            long upAt = System.nanoTime();
            awaitAdminSession(); // the test's own session reconnects within a second
            long adminBackMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt);
            insert(ins, p, tie, 7); // the same millisecond as the row before the outage
            expected.add(7);
            for (int s = 8; s <= 12; s++) {
                insert(ins, p, System.currentTimeMillis(), s);
                expected.add(s);
                Thread.sleep(100);
            }
            assertTrue(run.packets.waitFor(g -> g.rows.size() >= expected.size(), 90_000),
                    "rows after the outage: " + run.packets.seqs());
            long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt);
            awaitReads(ds, 4); // any duplicate would come in the next reads
            assertExactlyOnceInTimeOrder(run.packets, expected);
            assertTrue(run.thread.isAlive());
            List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertFalse(warnings.isEmpty(), "the failed reads are logged at warn");
            assertTrue(warnings.get(0).matches("live stream ds/live-outage/" + path.replace("/", "\\/")
                    + ": read failed \\(attempt 1\\), retrying in 1\\.0 s: .+"), warnings.get(0));
            assertTrue(logs.list.stream().anyMatch(e -> e.getLevel() == Level.INFO
                    && e.getFormattedMessage().contains("reading again after")), "recovery is logged");
            System.err.printf("FIGURE stream outage (%s): down %d ms, %d warnings, all %d rows once; after the node was back:"
                    + " rows written from %d ms, the last one streamed at %d ms%n", outage.describe(),
                    TimeUnit.NANOSECONDS.toMillis(upAt - downAt), warnings.size(), expected.size(), adminBackMs, recoveredMs);
        } finally {
            tailLog.detachAppender(logs);
        }
    }

    @Test
    void aRestartedProcessServesAChannelTheOldOneIssuedAndContinuesWhereItStopped() throws Exception {
        int p = partition();
        PreparedStatement ins = admin.prepare("INSERT INTO " + KS + ".events (p, ts, seq, v) VALUES (?, ?, ?, ?)");
        PluginContext ctx = ctx("live-restart", node.contactPoint());
        String cql = "SELECT ts, seq, v FROM events WHERE p = " + p + " AND $__timeFilter(ts)";

        CqlDataSource first = dataSource(state);
        String path = path(query(first, ctx, model(cql, "\"streamIntervalMs\":250")), "live-restart");
        Runner run1 = new Runner(first, ctx, path);
        long tie = System.currentTimeMillis();
        insert(ins, p, tie, 1);
        insert(ins, p, tie, 2);
        assertTrue(run1.packets.waitFor(g -> g.rows.size() == 2, 10_000));
        run1.cancel();
        assertTrue(run1.join(2_000));
        first.close(); // the process is gone

        insert(ins, p, tie, 3); // while no process runs: same ms as the last rows sent
        insert(ins, p, System.currentTimeMillis() + 1, 4);

        CqlDataSource second = dataSource(state); // no QueryData: Grafana only re-runs the stream
        assertEquals(StreamReply.Status.OK, second.plugin().stream().subscribeStream(new StreamRequest(ctx, path, null, Map.of())).status());
        Runner run2 = new Runner(second, ctx, path);
        insert(ins, p, System.currentTimeMillis() + 2, 5);
        assertTrue(run2.packets.waitFor(g -> g.rows.size() >= 3, 10_000), "rows: " + run2.packets.seqs());
        awaitReads(second, 4); // a repeated row would come in the next reads
        assertEquals(List.of(1, 2), run1.packets.seqs());
        assertEquals(List.of(3, 4, 5), run2.packets.seqs(), "continues after the last packet of the old process");
        assertTrue(run2.packets.packets.get(0).has("schema"), "a new run starts with the schema");
    }

    @Test
    void aStreamFollowsABigintEpochTimeColumn() throws Exception {
        int p = partition();
        PreparedStatement ins = admin.prepare("INSERT INTO " + KS + ".epoch_events (p, ms, seq) VALUES (?, ?, ?)");
        CqlDataSource ds = dataSource(state);
        PluginContext ctx = ctx("live-epoch", node.contactPoint());
        admin.execute(ins.bind(p, System.currentTimeMillis() - 5_000, 1));
        DataResponse answer = query(ds, ctx, model("SELECT ms, seq FROM epoch_events WHERE p = " + p + " AND $__timeFilter(ms)",
                "\"timeColumn\":\"ms\",\"streamIntervalMs\":250"));
        String path = path(answer, "live-epoch");
        try (Frame initial = answer.frames().get(0)) {
            assertEquals(1, initial.rowCount());
            assertEquals(FieldType.TIME, initial.field(0).type());
        }
        Runner run = new Runner(ds, ctx, path);
        long tie = System.currentTimeMillis();
        admin.execute(ins.bind(p, tie, 2));
        assertTrue(run.packets.waitFor(g -> g.seqs().contains(2), 10_000), "rows: " + run.packets.seqs());
        admin.execute(ins.bind(p, tie, 3)); // same millisecond, after the cursor reached it
        admin.execute(ins.bind(p, tie + 5, 4));
        assertTrue(run.packets.waitFor(g -> g.rows.size() >= 3, 10_000), "rows: " + run.packets.seqs());
        awaitReads(ds, 4); // a repeated row would come in the next reads
        assertEquals(List.of(2, 3, 4), run.packets.seqs());
        assertEquals(tie, run.packets.rows.get(0).get("ms").asLong(), "the epoch travels as a Grafana time (ms in JSON)");
    }

    @Test
    void anAlertRuleQueryWithStreamOnGetsItsWideSeriesAndIssuesNoChannel(@TempDir Path otherState) throws Exception {
        String a = "s" + partition();
        String b = "s" + partition();
        PreparedStatement ins = admin.prepare("INSERT INTO " + KS + ".readings (sensor, ts, value) VALUES (?, ?, ?)");
        long t0 = System.currentTimeMillis() - 5_000;
        admin.execute(ins.bind(a, Instant.ofEpochMilli(t0), 1.0));
        admin.execute(ins.bind(b, Instant.ofEpochMilli(t0), 2.0));
        PluginContext ctx = ctx("live-alert", node.contactPoint());
        String modelJson = model("SELECT sensor, ts, value FROM readings WHERE sensor IN ('" + a + "', '" + b + "') AND $__timeFilter(ts)",
                "\"format\":\"time_series\"");
        CqlDataSource alerting = dataSource(state);
        // Grafana forwards the header with its http_ prefix on newer versions; either spelling counts
        DataResponse r = query(alerting, ctx, modelJson, Map.of("http_FromAlert", "true"));
        assertEquals(200, r.status(), r.error());
        assertEquals(1, r.frames().size());
        try (Frame f = r.frames().get(0)) {
            assertNull(f.meta().channel(), "no Live channel for an alert rule");
            assertEquals("timeseries-wide", f.meta().type());
            assertEquals(List.of("ts", "value", "value"), f.fields().stream().map(Field::name).toList());
            assertEquals(Set.of(Map.of("sensor", a), Map.of("sensor", b)), Set.of(f.field(1).labels(), f.field(2).labels()));
        }
        // the very same query from a dashboard is issued a channel; the alert evaluation must not have registered it
        String path = path(query(dataSource(otherState), ctx, modelJson), "live-alert");
        assertEquals(StreamReply.Status.NOT_FOUND,
                alerting.plugin().stream().subscribeStream(new StreamRequest(ctx, path, null, Map.of())).status());
    }

    @Test
    void subscribingToAPathThisPluginDidNotIssueIsRefused() throws Exception {
        CqlDataSource ds = dataSource(state);
        PluginContext ctx = ctx("live-sub", node.contactPoint());
        String path = path(query(ds, ctx, model("SELECT ts, seq FROM events WHERE p = 1 AND $__timeFilter(ts)", "")), "live-sub");
        var streams = ds.plugin().stream();
        assertEquals(StreamReply.Status.OK, streams.subscribeStream(new StreamRequest(ctx, path, null, Map.of())).status());
        String invented = "tail/" + "A".repeat(StreamPath.ID_LENGTH);
        assertEquals(StreamReply.Status.NOT_FOUND, streams.subscribeStream(new StreamRequest(ctx, invented, null, Map.of())).status());
        assertEquals(StreamReply.Status.NOT_FOUND,
                streams.subscribeStream(new StreamRequest(ctx, "SELECT * FROM system_auth.roles", null, Map.of())).status());
        PluginContext other = ctx("live-sub-other", node.contactPoint());
        assertEquals(StreamReply.Status.PERMISSION_DENIED, streams.subscribeStream(new StreamRequest(other, path, null, Map.of())).status());
        assertEquals(StreamReply.Status.PERMISSION_DENIED, streams.publishStream(new StreamRequest(ctx, path, "{}".getBytes(), Map.of())).status());
        // RunStream of an invented path ends at once (Grafana then does not re-run it)
        Runner run = new Runner(ds, ctx, invented);
        assertTrue(run.join(2_000));
        assertEquals(0, run.packets.packets.size());
    }

    @Test
    void aStreamQueryWithoutATimeColumnSaysWhatItNeeds() throws Exception {
        CqlDataSource ds = dataSource(state);
        DataResponse r = query(ds, ctx("live-notime", node.contactPoint()), model("SELECT seq, v FROM events WHERE p = 1", ""));
        assertEquals(400, r.status());
        assertEquals("a stream (stream: true) needs a timestamp or date column, and the result has none (columns: seq int, v double);"
                + " the stream follows that column to find new rows (toTimestamp() converts a timeuuid)", r.error());
    }
}
