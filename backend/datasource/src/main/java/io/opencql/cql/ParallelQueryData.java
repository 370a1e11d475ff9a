package io.opencql.cql;

import io.opencql.cql.failure.Failure;
import io.opencql.cql.kernel.CqlInstance;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.SelfTestFrame;
import io.opencql.grafana.instance.InstanceManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QueryData: the queries of one request run in parallel on a shared, bounded pool, each on its own (a failure
 * or a slow query never affects another; every refId gets an answer). Cancelling the request interrupts its
 * running queries. {@code selftest} queries are answered first and need no data source instance at all.
 */
public final class ParallelQueryData implements QueryDataHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParallelQueryData.class);

    /** Most queries wait on the network, not the CPU; more than this many at once only queue. */
    static final int THREADS = 16;

    /**
     * Runs one query; must not throw (the query side maps its errors to responses). {@code fromAlert}: Grafana
     * Alerting sent the request (no browser will subscribe to a Live channel).
     */
    @FunctionalInterface
    public interface Engine {
        DataResponse execute(CqlInstance instance, DataQuery query, PluginContext ctx, boolean fromAlert, RequestContext rc);
    }

    private final InstanceManager<CqlInstance> instances;
    private final Engine engine;
    private final ThreadPoolExecutor pool;

    public ParallelQueryData(InstanceManager<CqlInstance> instances, Engine engine) {
        this.instances = instances;
        this.engine = engine;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "cql-query-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true); // idle plugin: no idle threads
    }

    @Override
    public QueryDataResponse queryData(QueryDataRequest req, RequestContext rc) {
        Map<String, DataResponse> out = new LinkedHashMap<>();
        List<DataQuery> toRun = new ArrayList<>();
        for (DataQuery q : req.queries()) {
            if ("selftest".equals(q.queryType())) {
                out.put(q.refId(), DataResponse.ok(SelfTestFrame.create(q.refId())));
            } else {
                out.put(q.refId(), null); // keeps the request's order
                toRun.add(q);
            }
        }
        if (toRun.isEmpty()) {
            return new QueryDataResponse(out);
        }
        InstanceManager.Lease<CqlInstance> lease;
        try {
            lease = instances.acquire(req.context());
        } catch (Exception e) {
            LOG.error("cannot create the data source instance", e);
            for (DataQuery q : toRun) {
                out.put(q.refId(), DataResponse.internal("cannot create the data source instance: " + e));
            }
            return new QueryDataResponse(out);
        }
        try (lease) {
            run(lease.instance(), toRun, req.context(), req.fromAlert(), rc, out);
        }
        return new QueryDataResponse(out);
    }

    private void run(CqlInstance instance, List<DataQuery> queries, PluginContext ctx, boolean fromAlert, RequestContext rc,
                     Map<String, DataResponse> out) {
        List<Future<DataResponse>> futures = new ArrayList<>(queries.size());
        for (DataQuery q : queries) {
            try {
                futures.add(pool.submit(() -> execute(instance, q, ctx, fromAlert, rc)));
            } catch (RejectedExecutionException e) {
                futures.add(null); // shutting down
            }
        }
        rc.onCancel(() -> futures.forEach(f -> {
            if (f != null) {
                f.cancel(true);
            }
        }));
        for (int i = 0; i < queries.size(); i++) {
            DataQuery q = queries.get(i);
            Future<DataResponse> f = futures.get(i);
            out.put(q.refId(), f == null ? DataResponse.internal("the plugin is shutting down") : await(f, q));
        }
    }

    private DataResponse execute(CqlInstance instance, DataQuery q, PluginContext ctx, boolean fromAlert, RequestContext rc) {
        if (rc.isCancelled()) {
            return cancelled();
        }
        try {
            DataResponse r = engine.execute(instance, q, ctx, fromAlert, rc);
            return r != null ? r : DataResponse.internal("the query engine returned no response");
        } catch (RuntimeException | Error e) {
            LOG.error("query {} failed unexpectedly", q.refId(), e);
            return DataResponse.internal("query failed unexpectedly: " + e);
        }
    }

    private static DataResponse await(Future<DataResponse> f, DataQuery q) {
        try {
            return f.get();
        } catch (CancellationException e) {
            return cancelled();
        } catch (ExecutionException e) {
            return DataResponse.internal("query " + q.refId() + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return cancelled();
        }
    }

    private static DataResponse cancelled() {
        Failure f = Failure.cancelled();
        return DataResponse.error(f.status(), f.source(), f.message());
    }

    /** Queries waiting or running right now (metrics, tests). */
    public int active() {
        return pool.getActiveCount() + pool.getQueue().size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
