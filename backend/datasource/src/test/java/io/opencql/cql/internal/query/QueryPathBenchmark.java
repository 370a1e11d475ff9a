package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.ArrowFrameWriter;
import io.opencql.grafana.data.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark command (not a test): the plugin's query path against the bare driver on the same query, same
 * node, same page size, in the same JVM. Run it with {@code tools/bench-query.sh}.
 *
 * <ol>
 *   <li>(a) the bare driver: iterate every row of {@code SELECT ts, value, name FROM <table>}, reading the
 *       three columns with the typed getters;</li>
 *   <li>(b) the plugin: {@link CqlQueries#run} on the same CQL (rows into Arrow fields, table shape) plus
 *       {@link ArrowFrameWriter} encoding the frame to bytes, as the transport would send it;</li>
 *   <li>b/a, and the process's peak RSS ({@code VmHWM}).</li>
 * </ol>
 * Runs alternate a, b, a, b… after warm-up runs so that drift on a shared machine hits both alike; medians
 * are printed. Two layouts of the same 1,000,000 rows of {@code id int, ts timestamp, value double, name text}:
 * {@code narrow} ({@code bench_rows}, one row per partition: the node's full scan dominates both sides) and
 * {@code wide} ({@code bench_wide}, partitions of 100,000 rows clustered by id: the node streams rows fast,
 * so the client side's cost shows). Tables are created and loaded on first use, with async inserts of a
 * prepared statement, at most 256 in flight, and reused after that.
 *
 * <p>Arguments (all optional): {@code rows=1000000 runs=5 warmup=2 pageSize=5000 layout=both|narrow|wide};
 * node from {@code CQL_TEST_HOST} as for the ITs.
 */
public final class QueryPathBenchmark {

    /** Rows per partition of the wide layout. */
    static final int WIDE_PARTITION = 100_000;

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000, runs = 5, warmup = 2, pageSize = Setting.PAGE_SIZE.defaultValue(Integer.class);
        String layout = "both";
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "rows" -> rows = Integer.parseInt(kv[1]);
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "pageSize" -> pageSize = Integer.parseInt(kv[1]);
                case "layout" -> layout = kv[1];
                default -> throw new IllegalArgumentException("unknown argument " + a + " (rows=, runs=, warmup=, pageSize=, layout=)");
            }
        }
        int code = 0;
        try {
            CqlSession session = TestNode.session();
            System.out.printf(Locale.ROOT, "node %s, %,d rows, page size %d, %d warm-up + %d measured runs each, heap max %d MiB, %d CPUs%n",
                    TestNode.HOST, rows, pageSize, warmup, runs, Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.getRuntime().availableProcessors());
            for (String l : layout.equals("both") ? List.of("narrow", "wide") : List.of(layout)) {
                String table = l.equals("wide") ? "bench_wide" : "bench_rows";
                load(session, table, l.equals("wide"), rows);
                run(session, "SELECT ts, value, name FROM " + table, l, rows, runs, warmup, pageSize);
            }
            System.out.printf(Locale.ROOT, "%npeak RSS (VmHWM) of this process: %d MiB%n", vmHwmKiB() >> 10);
        } catch (Throwable t) {
            t.printStackTrace();
            code = 1;
        }
        // the driver's threads are not daemons: leave no chance of a JVM that never exits
        System.exit(code);
    }

    static void run(CqlSession session, String cql, String layout, int rows, int runs, int warmup, int pageSize) {
        CqlSettings settings = TestNode.settings(true, pageSize, 10_000_000L, Duration.ofMinutes(5));
        CqlQueries engine = new CqlQueries();
        var instance = TestNode.instance(settings);
        System.out.println();
        System.out.println("layout " + layout + ": " + cql);

        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        List<Long> bRead = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < warmup + runs; i++) {
            boolean measured = i >= warmup;
            long t0 = System.nanoTime();
            long seen = bareDriver(session, cql, pageSize);
            long ta = System.nanoTime() - t0;
            if (seen != rows) {
                throw new IllegalStateException("bare driver read " + seen + " rows, expected " + rows);
            }

            long t1 = System.nanoTime();
            DataResponse r = TestNode.answer(engine, instance, TestNode.query("A", TestNode.model(cql, null), 0, 1), PluginContext.forDataSource(null),
                    RequestContext.NONE);
            long tRead = System.nanoTime();
            if (r.isError()) {
                throw new IllegalStateException("query failed: " + r.status() + " " + r.error());
            }
            Frame f = r.frames().get(0);
            if (f.rowCount() != rows) {
                throw new IllegalStateException("plugin read " + f.rowCount() + " rows, expected " + rows);
            }
            byte[] arrow = ArrowFrameWriter.write(f);
            long tb = System.nanoTime() - t1;
            bytes = arrow.length;
            r.closeFrames();
            if (measured) {
                a.add(ta);
                b.add(tb);
                bRead.add(tRead - t1);
            }
            System.out.printf(Locale.ROOT, "%s run %d: a %7.1f ms   b %7.1f ms (read %7.1f ms)%n", measured ? "measured" : "warm-up ", i + 1,
                    ta / 1e6, tb / 1e6, (tRead - t1) / 1e6);
        }
        double ma = median(a) / 1e6;
        double mb = median(b) / 1e6;
        System.out.println();
        System.out.printf(Locale.ROOT, "(a) bare driver, iterate %,d rows reading 3 columns:     median %8.1f ms  (%,.0f rows/s)%n", rows, ma,
                rows / (ma / 1000));
        System.out.printf(Locale.ROOT, "(b) plugin CqlQueries.run + Arrow encode (%,d B): median %8.1f ms  (%,.0f rows/s)%n", bytes, mb,
                rows / (mb / 1000));
        System.out.printf(Locale.ROOT, "    of which reading rows into the frame:              median %8.1f ms%n", median(bRead) / 1e6);
        System.out.printf(Locale.ROOT, "(c) b/a = %.3f   [%s]%n", mb / ma, layout);
    }

    /** (a): what a plain driver user writes. */
    static long bareDriver(CqlSession session, String cql, int pageSize) {
        ResultSet rs = session.execute(SimpleStatement.builder(cql).setPageSize(pageSize).setTimeout(Duration.ofMinutes(5)).build());
        long n = 0;
        long sink = 0;
        for (Row row : rs) {
            Instant ts = row.getInstant(0);
            double v = row.getDouble(1);
            String name = row.getString(2);
            sink += (ts == null ? 0 : ts.toEpochMilli()) + (long) v + (name == null ? 0 : name.length());
            n++;
        }
        if (sink == 42) {
            System.out.print(""); // keep the reads alive
        }
        return n;
    }

    static void load(CqlSession session, String table, boolean wide, int rows) throws InterruptedException {
        session.execute(wide
                ? "CREATE TABLE IF NOT EXISTS bench_wide (p int, id int, ts timestamp, value double, name text, PRIMARY KEY (p, id))"
                : "CREATE TABLE IF NOT EXISTS bench_rows (id int PRIMARY KEY, ts timestamp, value double, name text)");
        session.execute("CREATE TABLE IF NOT EXISTS bench_meta (k text PRIMARY KEY, loaded int)");
        Row done = session.execute("SELECT loaded FROM bench_meta WHERE k = '" + table + "'").one();
        if (done != null && done.getInt(0) == rows) {
            System.out.printf(Locale.ROOT, "reusing %s (%,d rows)%n", table, rows);
            return;
        }
        session.execute("TRUNCATE " + table);
        System.out.printf(Locale.ROOT, "loading %,d rows into %s…%n", rows, table);
        long t0 = System.nanoTime();
        PreparedStatement ins = session.prepare(wide
                ? "INSERT INTO bench_wide (p, id, ts, value, name) VALUES (?, ?, ?, ?, ?)"
                : "INSERT INTO bench_rows (id, ts, value, name) VALUES (?, ?, ?, ?)");
        Semaphore inFlight = new Semaphore(256);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long base = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
        for (int id = 0; id < rows && failure.get() == null; id++) {
            inFlight.acquire();
            Instant ts = Instant.ofEpochMilli(base + id * 1000L);
            String name = "sensor-" + (id % 1000);
            CompletionStage<AsyncResultSet> f = session.executeAsync(wide
                    ? ins.bind(id / WIDE_PARTITION, id, ts, id * 0.25, name)
                    : ins.bind(id, ts, id * 0.25, name));
            f.whenComplete((rs, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(256);
        inFlight.release(256);
        if (failure.get() != null) {
            throw new IllegalStateException("loading failed", failure.get());
        }
        session.execute("INSERT INTO bench_meta (k, loaded) VALUES ('" + table + "', " + rows + ")");
        System.out.printf(Locale.ROOT, "loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static long vmHwmKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
