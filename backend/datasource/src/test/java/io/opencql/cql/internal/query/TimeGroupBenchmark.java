package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.ArrowFrameWriter;
import io.opencql.grafana.data.Frame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark command (not a test): time grouping on the node vs in the plugin, for the case issue #15 names: a 24 h
 * range over 1-second readings of 10 series, grouped into 1-minute buckets (avg). Run it with
 * {@code tools/bench-timegroup.sh}.
 *
 * <p>Each run is what Grafana waits for: {@link CqlQueries#run} (read, group, long to wide) plus the Arrow
 * encoding of the answer. Runs alternate plugin, node, plugin, node… after warm-up runs, so drift on a shared machine
 * hits both alike; min / median / max are printed, with the median CPU time of this process (the plugin's work: decoding and
 * grouping the rows; the node is another process). Then, once per statement sent (the executed query string of each
 * answer), a pass with the bare driver at the same page size counts the rows the node sends and the bytes of its
 * responses ({@code ExecutionInfo.getResponseSizeInBytes}, per page): what crosses the wire. Both answers are checked
 * equal (every cell) before any figure is printed.
 *
 * <p>Table {@code bench_tg ((sensor, day), ts, value)}, day-bucketed as the demo's readings; loaded on first use
 * (864,000 rows, async inserts, 256 in flight) and reused. Arguments (optional): {@code runs=5 warmup=2
 * pageSize=5000}; node from {@code CQL_TEST_HOST} as for the ITs.
 */
public final class TimeGroupBenchmark {

    static final Instant FROM = Instant.parse("2026-01-01T12:00:00Z");
    static final int SERIES = 10;
    static final int SECONDS = 86_400;
    /** CPU time of this process (the plugin's side; the node is another process). */
    static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int runs = 5, warmup = 2, pageSize = Setting.PAGE_SIZE.defaultValue(Integer.class);
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "pageSize" -> pageSize = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a + " (runs=, warmup=, pageSize=)");
            }
        }
        int code = 0;
        try {
            CqlSession session = TestNode.session();
            load(session);
            StringBuilder in = new StringBuilder();
            for (int s = 0; s < SERIES; s++) {
                in.append(s == 0 ? "" : ", ").append("'sensor-").append(s).append('\'');
            }
            String cql = "SELECT ts, sensor, value FROM bench_tg WHERE sensor IN (" + in + ") AND day IN ($__timeBuckets(day))"
                    + " AND $__timeFilter(ts)";
            System.out.printf(Locale.ROOT, "node %s, %d series x %,d one-second rows (24 h), timeGroup 1m avg, page size %d,"
                    + " %d warm-up + %d measured runs each, %d CPUs, load average %s%n", TestNode.HOST, SERIES, SECONDS, pageSize,
                    warmup, runs, Runtime.getRuntime().availableProcessors(), loadAverage());
            System.out.println("query: " + cql);
            run(session, cql, runs, warmup, pageSize);
            System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
        } catch (Throwable t) {
            t.printStackTrace();
            code = 1;
        }
        System.exit(code); // the driver's threads are not daemons
    }

    static void run(CqlSession session, String cql, int runs, int warmup, int pageSize) {
        var instance = TestNode.instance(TestNode.settings(true, pageSize, 10_000_000L, Duration.ofMinutes(5)));
        CqlQueries engine = new CqlQueries();
        long from = FROM.toEpochMilli();
        long to = from + SECONDS * 1000L - 1;
        String[] options = {",\"timeGroupOnNode\":false", ""};
        String[] names = {"plugin groups", "node groups"};
        List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Long>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
        String[] sent = new String[2];
        long[] arrowBytes = new long[2];
        Frame[] answers = new Frame[2];
        for (int i = 0; i < warmup + runs; i++) {
            for (int k = 0; k < 2; k++) {
                String json = TestNode.model(cql, "\"format\":\"time_series\",\"timeGroup\":\"1m\",\"aggregate\":\"avg\"" + options[k]);
                DataQuery q = new DataQuery("A", 1000, 60_000, new TimeRange(from, to), json.getBytes(StandardCharsets.UTF_8), "");
                long c0 = CPU.getProcessCpuTime();
                long t0 = System.nanoTime();
                DataResponse r = TestNode.answer(engine, instance, q, PluginContext.forDataSource(null), RequestContext.NONE);
                if (r.isError()) {
                    throw new IllegalStateException(names[k] + ": " + r.status() + " " + r.error());
                }
                Frame f = r.frames().get(0);
                byte[] arrow = ArrowFrameWriter.write(f);
                long t = System.nanoTime() - t0;
                long c = CPU.getProcessCpuTime() - c0;
                if (i >= warmup) {
                    times.get(k).add(t);
                    cpu.get(k).add(c);
                }
                sent[k] = f.meta().executedQueryString();
                arrowBytes[k] = arrow.length;
                if (answers[k] != null) {
                    answers[k].close();
                }
                answers[k] = f;
            }
        }
        if (sent[1].equals(sent[0]) || !sent[1].contains("GROUP BY")) {
            throw new IllegalStateException("the node did not group: " + sent[1]);
        }
        TimeGroupOnNodeIT.assertFrameEquals(answers[0], answers[1], "benchmark answers");
        System.out.printf(Locale.ROOT, "answers equal cell by cell: %d points x %d fields, Arrow %,d bytes%n",
                answers[0].rowCount(), answers[0].fields().size(), arrowBytes[0]);
        answers[0].close();
        answers[1].close();
        double[] medians = new double[2];
        for (int k = 0; k < 2; k++) {
            List<Long> ts = new ArrayList<>(times.get(k));
            Collections.sort(ts);
            medians[k] = ts.get(ts.size() / 2) / 1e6;
            List<Long> cs = new ArrayList<>(cpu.get(k));
            Collections.sort(cs);
            long[] wire = wire(session, sent[k], pageSize);
            System.out.printf(Locale.ROOT, "%-13s time min/median/max %7.1f / %7.1f / %7.1f ms; plugin CPU median %7.1f ms;"
                    + " node sent %,9d rows, %,11d bytes%n  statement: %s%n", names[k], ts.get(0) / 1e6, medians[k],
                    ts.get(ts.size() - 1) / 1e6, cs.get(cs.size() / 2) / 1e6, wire[0], wire[1], sent[k]);
        }
        System.out.printf(Locale.ROOT, "node grouping is %.1fx faster (median)%n", medians[0] / medians[1]);
    }

    /** Rows and response bytes of one statement, page by page, at the plugin's page size. */
    static long[] wire(CqlSession session, String cql, int pageSize) {
        AsyncResultSet page = session.executeAsync(SimpleStatement.builder(cql).setPageSize(pageSize)
                .setTimeout(Duration.ofMinutes(5)).build()).toCompletableFuture().join();
        long rows = 0;
        long bytes = 0;
        while (true) {
            bytes += page.getExecutionInfo().getResponseSizeInBytes();
            rows += page.remaining();
            if (!page.hasMorePages()) {
                return new long[] {rows, bytes};
            }
            page = page.fetchNextPage().toCompletableFuture().join();
        }
    }

    static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void load(CqlSession session) throws InterruptedException {
        session.execute("CREATE TABLE IF NOT EXISTS bench_tg (sensor text, day date, ts timestamp, value double,"
                + " PRIMARY KEY ((sensor, day), ts))");
        long have = session.execute("SELECT count(*) FROM bench_tg WHERE sensor = 'sensor-" + (SERIES - 1) + "' AND day = '"
                + LocalDate.ofInstant(FROM.plusSeconds(SECONDS - 1), ZoneOffset.UTC) + "'").one().getLong(0);
        long expected = SECONDS / 2; // the range is noon to noon: half of it on the second day
        if (have == expected) {
            return;
        }
        System.out.printf(Locale.ROOT, "loading %,d rows into bench_tg...%n", (long) SERIES * SECONDS);
        PreparedStatement ins = session.prepare("INSERT INTO bench_tg (sensor, day, ts, value) VALUES (?, ?, ?, ?)");
        Semaphore inFlight = new Semaphore(256);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        for (int s = 0; s < SERIES; s++) {
            for (int i = 0; i < SECONDS; i++) {
                Instant ts = FROM.plusSeconds(i);
                inFlight.acquire();
                CompletionStage<AsyncResultSet> f = session.executeAsync(ins.bind("sensor-" + s,
                        LocalDate.ofInstant(ts, ZoneOffset.UTC), ts, 20 + s + Math.sin(i / 600.0) * 5 + (i % 7) * 0.013));
                f.whenComplete((r, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    inFlight.release();
                });
            }
            if (failure.get() != null) {
                throw new IllegalStateException("loading failed", failure.get());
            }
        }
        inFlight.acquire(256);
        inFlight.release(256);
        if (failure.get() != null) {
            throw new IllegalStateException("loading failed", failure.get());
        }
        System.out.printf(Locale.ROOT, "loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
