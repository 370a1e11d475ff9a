package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.cql.connect.DataSourceInstance;
import io.opencql.cql.connect.SessionFactory;
import io.opencql.cql.kernel.CqlInstance;
import io.opencql.cql.kernel.InvalidSettingsException;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.instance.InstanceManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelQueryDataTest {

    private final AtomicInteger instancesCreated = new AtomicInteger();
    private final InstanceManager<CqlInstance> instances = new InstanceManager<>(ctx -> {
        instancesCreated.incrementAndGet();
        return DataSourceInstance.create(ctx, new SessionFactory());
    }, Duration.ofSeconds(5));
    private ParallelQueryData handler;

    @AfterEach
    void close() {
        if (handler != null) {
            handler.close();
        }
        instances.close();
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
    void selftestNeedsNoInstanceNorSettings() throws Exception {
        handler = new ParallelQueryData(instances, (i, q, c, a, r) -> {
            throw new AssertionError("the engine must not run for selftest");
        });
        QueryDataResponse r = handler.queryData(request(List.of(query("A", "selftest"), query("B", "selftest")), null), RequestContext.NONE);
        assertEquals(List.of("A", "B"), new ArrayList<>(r.responses().keySet()));
        for (DataResponse d : r.responses().values()) {
            assertEquals(200, d.status());
            assertFalse(d.isError());
            assertEquals(1, d.frames().size());
            d.closeFrames();
        }
        assertEquals(0, instancesCreated.get());
    }

    @Test
    void queriesRunInParallelAndKeepTheirOrder() throws Exception {
        int n = 8;
        CountDownLatch allStarted = new CountDownLatch(n);
        handler = new ParallelQueryData(instances, (i, q, c, a, r) -> {
            allStarted.countDown();
            try {
                // only returns if all n queries are running at the same time
                return allStarted.await(10, TimeUnit.SECONDS) ? DataResponse.ok(List.of())
                        : DataResponse.internal("not parallel");
            } catch (InterruptedException e) {
                return DataResponse.internal("interrupted");
            }
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
        handler = new ParallelQueryData(instances, (i, q, c, a, r) -> switch (q.refId()) {
            case "boom" -> throw new IllegalStateException("engine bug");
            case "bad" -> DataResponse.badRequest("syntax error");
            default -> DataResponse.ok(List.of());
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
        handler = new ParallelQueryData(instances, (i, q, c, a, r) -> {
            started.countDown();
            try {
                Thread.sleep(30_000);
                return DataResponse.ok(List.of());
            } catch (InterruptedException e) {
                interrupted.complete(true);
                return DataResponse.internal("interrupted");
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
    void invalidSettingsReachTheEngineAsAnInstanceThatSaysSo() throws Exception {
        handler = new ParallelQueryData(instances, (i, q, c, a, r) -> {
            try {
                i.settings();
                return DataResponse.ok(List.of());
            } catch (InvalidSettingsException e) {
                return DataResponse.badRequest(e.getMessage());
            }
        });
        DataSourceSettings bad = new DataSourceSettings(1, "uid", "n", null, null, null, false, null,
                "{\"port\":\"x\"}".getBytes(), Map.of(), 1, "");
        QueryDataResponse r = handler.queryData(request(List.of(query("A", "")), bad), RequestContext.NONE);
        assertEquals("jsonData.port must be a number from 1 to 65535, got \"x\"", r.responses().get("A").error());
    }
}
