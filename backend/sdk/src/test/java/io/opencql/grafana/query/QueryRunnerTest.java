package io.opencql.grafana.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.Notice;
import io.opencql.grafana.instance.InstanceManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryRunnerTest {

    /** A data source instance that holds nothing. */
    record Instance() implements AutoCloseable {
        @Override
        public void close() {
        }
    }

    /** A query failure the test driver knows: its status and source as thrown. */
    static final class Known extends Exception {
        final int status;

        Known(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Runs one query; as {@link QueryDriver#run}. */
    @FunctionalInterface
    interface Run {
        List<Frame> run(Instance instance, DataQuery query, QueryCall call) throws Exception;
    }

    /** A driver of {@code run} that knows its own failures and cancellation, nothing else. */
    static QueryDriver<Instance> driver(Run run) {
        return new QueryDriver<>() {
            @Override
            public List<Frame> run(Instance instance, DataQuery query, QueryCall call) throws Exception {
                return run.run(instance, query, call);
            }

            @Override
            public QueryFailure classify(Throwable failure, Instance instance) {
                if (failure instanceof Known k) {
                    return new QueryFailure(k.status, ErrorSource.DOWNSTREAM, k.getMessage());
                }
                if (failure instanceof CancellationException || failure instanceof InterruptedException) {
                    return new QueryFailure(499, ErrorSource.DOWNSTREAM, "query cancelled");
                }
                return null;
            }
        };
    }

    private final AtomicInteger instancesCreated = new AtomicInteger();
    private final InstanceManager<Instance> instances = new InstanceManager<>(ctx -> {
        instancesCreated.incrementAndGet();
        return new Instance();
    }, Duration.ofSeconds(5));
    private QueryRunner<Instance> handler;

    @AfterEach
    void close() {
        if (handler != null) {
            handler.close();
        }
        instances.close();
    }

    private QueryRunner<Instance> runner(Run run) {
        return handler = new QueryRunner<>(instances, driver(run), "test-query");
    }

    private static DataQuery query(String refId, String queryType) {
        return new DataQuery(refId, 100, 1000, null, "{}".getBytes(), queryType);
    }

    private static QueryDataRequest request(List<DataQuery> queries, DataSourceSettings ds) {
        return new QueryDataRequest(ds == null ? new PluginContext(1, "p", null, null, Map.of(), "", "", "")
                : PluginContext.forDataSource(ds), Map.of(), queries);
    }

    private static DataSourceSettings ds() {
        return new DataSourceSettings(1, "uid", "n", null, null, null, false, null, "{}".getBytes(), Map.of(), 1, "");
    }

    /** A cancellable request context, as the transport gives one. */
    static final class Cancellable implements RequestContext {
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        private volatile boolean cancelled;

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

        void cancel() {
            cancelled = true;
            listeners.forEach(Runnable::run);
        }
    }

    @Test
    void aReportedRowLimitBecomesTheFirstNoticeOfTheFirstFrame() throws Exception {
        runner((i, q, c) -> {
            c.rowLimit(new RowLimitReached(99, RowLimitReached.Origin.DATA_SOURCE, "wrong")); // replaced by the later report
            if (q.refId().equals("A")) {
                c.rowLimit(new RowLimitReached(120, RowLimitReached.Origin.DATA_SOURCE, "rowLimit"));
            } else if (q.refId().equals("B")) {
                c.rowLimit(new RowLimitReached(50, RowLimitReached.Origin.QUERY, "rowLimit"));
            } else {
                c.rowLimit(null); // the rows that are returned fitted
            }
            return List.of(new Frame("f", "", FrameMeta.empty().withNotice(Notice.warning("the driver's own"))), new Frame("g"));
        });
        QueryDataResponse r = handler.queryData(request(List.of(query("A", ""), query("B", ""), query("C", "")), ds()), RequestContext.NONE);
        assertEquals(List.of(Notice.warning("Results have been limited to 120 rows because the row limit was reached (setting rowLimit)"),
                Notice.warning("the driver's own")), r.responses().get("A").frames().get(0).meta().notices());
        assertEquals(List.of(Notice.warning("Results have been limited to 50 rows because the row limit was reached (query option rowLimit)"),
                Notice.warning("the driver's own")), r.responses().get("B").frames().get(0).meta().notices());
        assertEquals(List.of(Notice.warning("the driver's own")), r.responses().get("C").frames().get(0).meta().notices());
        assertNull(r.responses().get("A").frames().get(1).meta(), "only the first frame carries it");
        r.responses().values().forEach(DataResponse::closeFrames);
    }

    @Test
    void selftestNeedsNoInstanceNorSettings() throws Exception {
        runner((i, q, c) -> {
            throw new AssertionError("the driver must not run for selftest");
        });
        QueryDataResponse r = handler.queryData(request(List.of(query("A", "selftest"), query("B", "selftest")), null), RequestContext.NONE);
        assertEquals(List.of("A", "B"), new ArrayList<>(r.responses().keySet()));
        for (Map.Entry<String, DataResponse> e : r.responses().entrySet()) {
            DataResponse d = e.getValue();
            assertEquals(200, d.status());
            assertFalse(d.isError());
            assertEquals(1, d.frames().size());
            assertEquals("selftest", d.frames().get(0).name());
            assertEquals(e.getKey(), d.frames().get(0).refId());
            d.closeFrames();
        }
        assertEquals(0, instancesCreated.get());
    }

    @Test
    void everyFrameCarriesItsQuerysRefIdAndFailuresShowWhatRan() throws Exception {
        runner((i, q, c) -> {
            c.executing("first " + q.refId());
            if (q.refId().equals("bad")) {
                c.executing("second " + q.refId());
                throw new Known(400, "syntax error");
            }
            Frame f = new Frame("f");
            f.addField("v", FieldType.INT64, false).appendLong(1);
            return List.of(f, new Frame("g"));
        });
        QueryDataResponse r = handler.queryData(request(List.of(query("A", ""), query("bad", "")), ds()), RequestContext.NONE);
        DataResponse a = r.responses().get("A");
        assertEquals(List.of("A", "A"), a.frames().stream().map(Frame::refId).toList());
        DataResponse bad = r.responses().get("bad");
        assertEquals(400, bad.status());
        assertEquals(ErrorSource.DOWNSTREAM, bad.errorSource());
        assertEquals("syntax error", bad.error());
        assertEquals(1, bad.frames().size());
        assertEquals("bad", bad.frames().get(0).refId());
        assertEquals(0, bad.frames().get(0).fields().size());
        assertEquals("second bad", bad.frames().get(0).meta().executedQueryString());
        a.closeFrames();
        bad.closeFrames();
    }

    @Test
    void everyFrameTheRunnerHandsOnIsSealed() throws Exception {
        Field[] kept = new Field[1];
        runner((i, q, c) -> {
            if (q.refId().equals("bad")) {
                c.executing("SELECT bad");
                throw new Known(400, "syntax error");
            }
            Frame f = new Frame("f");
            kept[0] = f.addField("v", FieldType.INT64, false);
            kept[0].appendLong(1);
            return List.of(f);
        });
        QueryDataResponse r = handler.queryData(request(List.of(query("A", ""), query("bad", ""), query("S", "selftest")),
                ds()), RequestContext.NONE);
        for (DataResponse d : r.responses().values()) {
            assertFalse(d.frames().isEmpty());
            for (Frame f : d.frames()) {
                assertTrue(f.isSealed(), "frame '" + f.name() + "' of " + f.refId() + " goes to the transport sealed");
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].appendLong(2),
                "a field the driver kept cannot change the frame being encoded");
        assertTrue(e.getMessage().contains("frames are values once built"), e.getMessage());
        assertEquals(1, r.responses().get("A").frames().get(0).rowCount());
        r.responses().values().forEach(DataResponse::closeFrames);
    }

    @Test
    void aFailureBeforeAnythingRanHasNoFrame() throws Exception {
        runner((i, q, c) -> {
            throw new Known(400, "the query is not valid JSON");
        });
        DataResponse r = handler.queryData(request(List.of(query("A", "")), ds()), RequestContext.NONE).responses().get("A");
        assertEquals("the query is not valid JSON", r.error());
        assertEquals(List.of(), r.frames());
    }

    @Test
    void queriesRunInParallelAndKeepTheirOrder() throws Exception {
        int n = QueryRunner.THREADS + 1; // the pool's threads and the request's own
        CountDownLatch allStarted = new CountDownLatch(n);
        runner((i, q, c) -> {
            allStarted.countDown();
            // only returns if all n queries are running at the same time
            if (!allStarted.await(10, TimeUnit.SECONDS)) {
                throw new Known(500, "not parallel");
            }
            return List.of();
        });
        List<DataQuery> queries = new ArrayList<>();
        for (int k = n; k > 0; k--) {
            queries.add(query("Q" + k, ""));
        }
        QueryDataResponse r = handler.queryData(request(queries, ds()), RequestContext.NONE);
        assertEquals(queries.stream().map(DataQuery::refId).toList(), new ArrayList<>(r.responses().keySet()));
        r.responses().values().forEach(d -> assertEquals(200, d.status(), d.error()));
        assertEquals(1, instancesCreated.get());
    }

    @Test
    void oneFailingQueryDoesNotAffectTheOthers() throws Exception {
        runner((i, q, c) -> switch (q.refId()) {
            case "boom" -> throw new IllegalStateException("engine bug");
            case "bad" -> throw new Known(400, "syntax error");
            default -> List.of();
        });
        QueryDataResponse r = handler.queryData(request(List.of(query("A", ""), query("boom", ""), query("bad", ""),
                query("S", "selftest")), ds()), RequestContext.NONE);
        assertEquals(200, r.responses().get("A").status());
        assertEquals(500, r.responses().get("boom").status());
        assertEquals(ErrorSource.PLUGIN, r.responses().get("boom").errorSource());
        assertEquals("query failed unexpectedly: java.lang.IllegalStateException: engine bug", r.responses().get("boom").error());
        assertEquals(400, r.responses().get("bad").status());
        assertEquals(200, r.responses().get("S").status());
        r.responses().get("S").closeFrames();
    }

    @Test
    void cancellingTheRequestInterruptsRunningQueries() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        runner((i, q, c) -> {
            started.countDown();
            try {
                Thread.sleep(30_000);
                return List.of();
            } catch (InterruptedException e) {
                interrupted.complete(true);
                throw new Known(500, "interrupted");
            }
        });
        Cancellable rc = new Cancellable();
        Thread canceller = new Thread(() -> {
            try {
                started.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // cancel anyway
            }
            rc.cancel();
        });
        canceller.start();
        long t0 = System.nanoTime();
        QueryDataResponse r = handler.queryData(request(List.of(query("A", ""), query("B", "")), ds()), rc);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 10_000, "took " + ms + " ms");
        assertEquals("query cancelled", r.responses().get("A").error());
        assertEquals("query cancelled", r.responses().get("B").error());
        assertEquals(499, r.responses().get("A").status());
        assertEquals(499, r.responses().get("B").status());
        assertTrue(interrupted.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRequestOfOneQueryRunsItOnItsOwnThread() throws Exception {
        Thread caller = Thread.currentThread();
        runner((i, q, c) -> {
            if (Thread.currentThread() != caller) {
                throw new Known(500, "ran on " + Thread.currentThread().getName());
            }
            return List.of();
        });
        QueryDataResponse r = handler.queryData(request(List.of(query("A", "")), ds()), RequestContext.NONE);
        assertEquals(200, r.responses().get("A").status(), r.responses().get("A").error());
        assertEquals(0, handler.active());
    }

    @Test
    void cancellingARequestOfOneQueryInterruptsItAndLeavesTheThreadClean() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        runner((i, q, c) -> {
            started.countDown();
            Thread.sleep(30_000);
            return List.of();
        });
        Cancellable rc = new Cancellable();
        Thread canceller = new Thread(() -> {
            try {
                started.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // cancel anyway
            }
            rc.cancel();
        });
        canceller.start();
        QueryDataResponse r = handler.queryData(request(List.of(query("A", "")), ds()), rc);
        assertEquals(499, r.responses().get("A").status());
        assertFalse(Thread.currentThread().isInterrupted(), "the request's thread must not stay interrupted");
        canceller.join(10_000);
        rc.cancel(); // as gRPC does when the call completes: must not reach the thread any more
        assertFalse(Thread.currentThread().isInterrupted(), "a late cancellation must not interrupt the thread");
    }

    @Test
    void anAlreadyCancelledRequestRunsNothing() throws Exception {
        runner((i, q, c) -> {
            throw new AssertionError("a cancelled request's query must not run");
        });
        Cancellable rc = new Cancellable();
        rc.cancel();
        DataResponse r = handler.queryData(request(List.of(query("A", "")), ds()), rc).responses().get("A");
        assertEquals(499, r.status());
        assertEquals("query cancelled", r.error());
        assertNull(r.frames().isEmpty() ? null : r.frames());
    }
}
