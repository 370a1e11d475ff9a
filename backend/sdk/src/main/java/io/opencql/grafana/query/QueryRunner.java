package io.opencql.grafana.query;

import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.Notice;
import io.opencql.grafana.data.SelfTestFrame;
import io.opencql.grafana.instance.InstanceManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QueryData for any data source with a {@link QueryDriver}: the queries of one request run in parallel, each on
 * its own (a failure or a slow query never affects another), each gets an answer (with a notice when the driver
 * reports a row limit reached, {@link RowLimitReached}), and every frame of an answer
 * carries its query's refId (set in {@link #answer} and nowhere else). Cancelling the request interrupts its running
 * queries. {@code selftest} queries (a frame of every field type, README) are answered here and need no data
 * source instance at all.
 *
 * <p>Where they run: Grafana sends one request per panel, nearly always with one query, and each request already
 * has its own call thread. So the first query of a request runs on that thread (no hand-off, no wake-up of another
 * thread: on 2 cores every hand-off is a wait for a core), and only the others go to a shared pool. The pool never
 * queues: when all its threads are busy the request's own thread runs the query itself (back-pressure on that
 * request, instead of panels waiting behind other dashboards' whole queries).
 */
public final class QueryRunner<I extends AutoCloseable> implements QueryDataHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryRunner.class);
    static final String SELFTEST = "selftest";

    /**
     * Most queries wait on the network, not the CPU. Bounds the extra threads of multi-query requests; past it a
     * request runs its remaining queries itself.
     */
    public static final int THREADS = 16;

    private final InstanceManager<I> instances;
    private final QueryDriver<I> driver;
    private final ThreadPoolExecutor pool;

    /** @param threadName the pool's threads are {@code threadName-N} */
    public QueryRunner(InstanceManager<I> instances, QueryDriver<I> driver, String threadName) {
        this.instances = instances;
        this.driver = driver;
        AtomicInteger n = new AtomicInteger();
        // no core threads (an idle plugin keeps none) and no queue: a hand-off to an idle thread or a rejection
        this.pool = new ThreadPoolExecutor(0, THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public QueryDataResponse queryData(QueryDataRequest req, RequestContext rc) {
        Map<String, DataResponse> out = new LinkedHashMap<>();
        answerAll(req, rc, out);
        return new QueryDataResponse(out);
    }

    private void answerAll(QueryDataRequest req, RequestContext rc, Map<String, DataResponse> out) {
        List<DataQuery> toRun = new ArrayList<>();
        for (DataQuery q : req.queries()) {
            out.put(q.refId(), SELFTEST.equals(q.queryType()) ? answer(driver, null, q, call(req, rc)) : null); // keeps the order
            if (!SELFTEST.equals(q.queryType())) {
                toRun.add(q);
            }
        }
        if (toRun.isEmpty()) {
            return;
        }
        InstanceManager.Lease<I> lease;
        try {
            lease = instances.acquire(req.context());
        } catch (Exception e) {
            LOG.error("cannot create the data source instance", e);
            for (DataQuery q : toRun) {
                out.put(q.refId(), DataResponse.internal("cannot create the data source instance: " + e));
            }
            return;
        }
        try (lease) {
            run(lease.instance(), toRun, req, rc, out);
        }
    }

    private static QueryCall call(QueryDataRequest req, RequestContext rc) {
        return new QueryCall(req.context(), req.fromAlert(), rc);
    }

    /**
     * One query's answer: the self-test, or the driver's frames, or its failure as the driver classifies it (with
     * the executed text in a frame's meta); every frame carries the query's refId (the one place it is set). Never
     * throws: even an Error (a stack overflow on absurd input, a frame too large for memory) is this query's failure
     * only.
     */
    public static <I> DataResponse answer(QueryDriver<I> driver, I instance, DataQuery query, QueryCall call) {
        DataResponse r;
        if (SELFTEST.equals(query.queryType())) {
            r = DataResponse.ok(SelfTestFrame.create());
        } else if (call.cancellation().isCancelled()) {
            r = failed(driver, new CancellationException("query cancelled"), instance, query, null);
        } else {
            try {
                r = DataResponse.ok(withRowLimitNotice(driver.run(instance, query, call), call.rowLimit()));
            } catch (Throwable t) {
                r = failed(driver, t, instance, query, call.executed());
            }
        }
        List<Frame> frames = new ArrayList<>(r.frames().size());
        for (Frame f : r.frames()) {
            frames.add(f.withRefId(query.refId())); // takes the columns over: the driver's frame is spent, not leaked
        }
        return new DataResponse(frames, r.status(), r.error(), r.errorSource());
    }

    /**
     * The row limit's notice, first among the notices of the query's first frame (the one the driver read into):
     * the engine words it alike for every driver.
     */
    private static List<Frame> withRowLimitNotice(List<Frame> frames, RowLimitReached reached) {
        if (reached == null || frames.isEmpty()) {
            return frames;
        }
        Frame f = frames.get(0);
        FrameMeta meta = f.meta() == null ? FrameMeta.empty() : f.meta();
        List<Notice> notices = new ArrayList<>(meta.notices().size() + 1);
        notices.add(reached.notice());
        notices.addAll(meta.notices());
        List<Frame> out = new ArrayList<>(frames);
        out.set(0, f.withMeta(meta.withNotices(notices))); // takes the columns over: f is spent, not leaked
        return out;
    }

    private static <I> DataResponse failed(QueryDriver<I> driver, Throwable t, I instance, DataQuery query, String executed) {
        QueryFailure f;
        try {
            f = driver.classify(t, instance);
        } catch (RuntimeException | Error e) {
            t.addSuppressed(e);
            f = null;
        }
        if (f == null) {
            LOG.error("query {} failed unexpectedly", query.refId(), t);
            return DataResponse.internal("query failed unexpectedly: " + t);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("query {} failed: {} {} {}", query.refId(), f.status(), f.source().wire(), f.message());
        }
        return f.response(executed);
    }

    private void run(I instance, List<DataQuery> queries, QueryDataRequest req, RequestContext rc, Map<String, DataResponse> out) {
        // the first query stays on this thread; the others go to the pool, or also stay here when it is full
        List<Future<DataResponse>> futures = new ArrayList<>(queries.size());
        futures.add(null);
        for (int i = 1; i < queries.size(); i++) {
            DataQuery q = queries.get(i);
            try {
                futures.add(pool.submit(() -> answer(driver, instance, q, call(req, rc))));
            } catch (RejectedExecutionException e) {
                futures.add(null);
            }
        }
        OnThisThread here = new OnThisThread();
        rc.onCancel(() -> {
            here.interrupt();
            futures.forEach(f -> {
                if (f != null) {
                    f.cancel(true);
                }
            });
        });
        try {
            for (int i = 0; i < queries.size(); i++) {
                if (futures.get(i) == null) {
                    DataQuery q = queries.get(i);
                    DataResponse r = pool.isShutdown() ? DataResponse.internal("the plugin is shutting down")
                            : answer(driver, instance, q, call(req, rc));
                    if (here.cancelled()) {
                        // as a cancelled future answers: whatever the interrupted query made of it
                        r.closeFrames();
                        r = cancelled(instance, q);
                    }
                    out.put(q.refId(), r);
                }
            }
        } finally {
            here.done();
        }
        for (int i = 0; i < queries.size(); i++) {
            Future<DataResponse> f = futures.get(i);
            if (f != null) {
                out.put(queries.get(i).refId(), await(f, instance, queries.get(i)));
            }
        }
    }

    private DataResponse await(Future<DataResponse> f, I instance, DataQuery q) {
        try {
            return f.get();
        } catch (CancellationException e) {
            return cancelled(instance, q);
        } catch (ExecutionException e) {
            return DataResponse.internal("query " + q.refId() + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return cancelled(instance, q);
        }
    }

    /** The answer of a query the request's cancellation interrupted: the driver's words for a cancellation. */
    private DataResponse cancelled(I instance, DataQuery q) {
        return failed(driver, new CancellationException("query cancelled"), instance, q, null);
    }

    /** Queries running on the pool right now (metrics, tests); those on request threads are not counted. */
    public int active() {
        return pool.getActiveCount();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
