package io.opencql.cql.resilience;

import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.TimeRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends one QueryData per period through the plugin's own handler, as Grafana's dashboards would, each on its
 * own thread (a slow query does not hold back the next), and records every outcome.
 */
final class QueryLoad implements AutoCloseable {

    /** One query's outcome; times in ms since the load started. */
    record Outcome(long startMs, long tookMs, int status, String error) {
        boolean ok() {
            return status == 200;
        }
    }

    private final Plugin plugin;
    private final PluginContext ctx;
    private final String cql;
    private final long t0 = System.nanoTime();
    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newCachedThreadPool();

    QueryLoad(Plugin plugin, DataSourceSettings ds, String cql, int perSecond) {
        this.plugin = plugin;
        this.ctx = PluginContext.forDataSource(ds);
        this.cql = cql;
        ticker.scheduleAtFixedRate(() -> workers.execute(this::one), 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    }

    long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private void one() {
        long start = nowMs();
        DataResponse r = query(plugin, ctx, cql);
        r.closeFrames();
        outcomes.add(new Outcome(start, nowMs() - start, r.status(), r.error()));
    }

    static DataResponse query(Plugin plugin, PluginContext ctx, String cql) {
        String json = "{\"refId\":\"A\",\"cql\":" + quote(cql) + ",\"format\":\"table\"}";
        long now = System.currentTimeMillis();
        DataQuery q = new DataQuery("A", 100, 1000, new TimeRange(now - 3_600_000, now), json.getBytes(StandardCharsets.UTF_8), "");
        try {
            return plugin.queryData().queryData(new QueryDataRequest(ctx, Map.of(), List.of(q)), RequestContext.NONE)
                    .responses().get("A");
        } catch (Exception e) {
            return DataResponse.internal("queryData threw " + e);
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The outcomes of queries started in [fromMs, toMs). */
    List<Outcome> between(long fromMs, long toMs) {
        synchronized (outcomes) {
            return outcomes.stream().filter(o -> o.startMs() >= fromMs && o.startMs() < toMs).toList();
        }
    }

    /** Waits until every query started so far has answered (bounded). */
    void drain() throws InterruptedException {
        ticker.shutdownNow();
        workers.shutdown();
        if (!workers.awaitTermination(120, TimeUnit.SECONDS)) {
            throw new AssertionError("queries still running 120 s after the load stopped");
        }
    }

    /** "n queries, f failed, latency min/p50/p99/max ms". */
    static String summary(List<Outcome> os) {
        long[] ms = os.stream().mapToLong(Outcome::tookMs).sorted().toArray();
        long failed = os.stream().filter(o -> !o.ok()).count();
        if (ms.length == 0) {
            return "0 queries";
        }
        return ms.length + " queries, " + failed + " failed, latency min/p50/p99/max " + ms[0] + "/" + ms[ms.length / 2] + "/"
                + ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)] + "/" + ms[ms.length - 1] + " ms";
    }

    static List<String> failures(List<Outcome> os) {
        return os.stream().filter(o -> !o.ok()).map(o -> "at " + o.startMs() + " ms: " + o.status() + " " + o.error()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        drain();
    }
}
