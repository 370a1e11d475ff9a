package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.ArrowFrameWriter;
import io.opencql.grafana.data.Frame;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark command (not a test): one query whose answer is ~111 MB (111,000 rows of ~1 KB), through the plugin's
 * query path (CqlQueries, rows into Arrow fields, table shape) and the Arrow encoding the transport sends, with the
 * byte budget of {@code GF_PLUGIN_MAX_RESPONSE_MB} (default 32, 0 = none); prints rows, notice, Arrow bytes and this
 * process's peak RSS (VmHWM). Run each budget in its own JVM (VmHWM only grows), with the plugin's default heap:
 * {@code BENCH_CLASS=io.opencql.cql.internal.query.ResponseSizeBenchmark GF_PLUGIN_MAX_RESPONSE_MB=0 tools/bench-query.sh}.
 */
public final class ResponseSizeBenchmark {

    static final int ROWS = 111_000;
    static final int ROWS_PER_PARTITION = 10_000;

    public static void main(String[] args) throws Exception {
        int code = 0;
        try {
            CqlSession session = TestNode.session();
            load(session);
            ResponseBudget budget = ResponseBudget.fromEnvironment(System.getenv());
            long rssBefore = QueryPathBenchmark.vmHwmKiB() >> 10;
            CqlSettings settings = TestNode.settings(true, Setting.PAGE_SIZE.defaultValue(Integer.class), 10_000_000L, Duration.ofMinutes(5));
            long t0 = System.nanoTime();
            DataResponse r = TestNode.answer(new CqlQueries(null, budget), TestNode.instance(settings),
                    TestNode.query("A", TestNode.model("SELECT p, c, v FROM bench_large", null), 0, 1),
                    PluginContext.forDataSource(null), RequestContext.NONE);
            if (r.isError()) {
                throw new IllegalStateException(r.status() + " " + r.error());
            }
            try (Frame f = r.frames().get(0)) {
                byte[] arrow = ArrowFrameWriter.write(f);
                System.out.printf(Locale.ROOT, "budget %s, heap max %d MiB: %,d rows, Arrow %.1f MB, %.1f s, notices %s%n", budget.text(),
                        Runtime.getRuntime().maxMemory() >> 20, f.rowCount(), arrow.length / 1e6, (System.nanoTime() - t0) / 1e9,
                        f.meta().notices());
            }
            System.out.printf(Locale.ROOT, "peak RSS (VmHWM) of this process: %d MiB (%d MiB before the query)%n",
                    QueryPathBenchmark.vmHwmKiB() >> 10, rssBefore);
        } catch (Throwable t) {
            t.printStackTrace();
            code = 1;
        }
        System.exit(code); // the driver's threads are not daemons
    }

    /** 111,000 rows of ~1 KB in partitions of 10,000, loaded once (kept across runs). */
    static void load(CqlSession session) throws InterruptedException {
        session.execute("CREATE TABLE IF NOT EXISTS bench_large (p int, c int, v text, PRIMARY KEY (p, c))");
        if (session.execute("SELECT c FROM bench_large WHERE p = " + ((ROWS - 1) / ROWS_PER_PARTITION) + " AND c = " + (ROWS - 1)).one() != null) {
            return;
        }
        PreparedStatement ins = session.prepare("INSERT INTO bench_large (p, c, v) VALUES (?, ?, ?)");
        String kb = "v".repeat(990);
        Semaphore inFlight = new Semaphore(128);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int i = 0; i < ROWS; i++) {
            inFlight.acquire();
            session.executeAsync(ins.bind(i / ROWS_PER_PARTITION, i, kb)).whenComplete((rs, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(128);
        if (failed.get() != null) {
            throw new IllegalStateException("loading bench_large failed", failed.get());
        }
    }
}
