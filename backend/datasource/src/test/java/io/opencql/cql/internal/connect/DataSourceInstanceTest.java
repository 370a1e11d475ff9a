package io.opencql.cql.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.internal.kernel.SettingsParser;
import io.opencql.grafana.backend.DataSourceSettings;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The instance's session life cycle, with a fake factory (the real one is covered by SessionLifecycleIT). */
class DataSourceInstanceTest {

    /** A CqlSession that only knows how to be closed. */
    static final class FakeSession {
        final AtomicInteger closes = new AtomicInteger();
        final CqlSession session = (CqlSession) Proxy.newProxyInstance(CqlSession.class.getClassLoader(),
                new Class<?>[] {CqlSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close", "closeAsync", "forceCloseAsync" -> {
                        closes.incrementAndGet();
                        yield method.getName().equals("close") ? null : CompletableFuture.completedFuture(null);
                    }
                    case "isClosed" -> closes.get() > 0;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeSession";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Opens block until released; each open returns a new fake session or throws. */
    static final class GatedFactory extends SessionFactory {
        final AtomicInteger opens = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final List<FakeSession> sessions = new ArrayList<>();
        volatile RuntimeException failWith;

        @Override
        public CqlSession open(CqlSettings s, String name) {
            opens.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failWith != null) {
                throw failWith;
            }
            FakeSession f = new FakeSession();
            synchronized (sessions) {
                sessions.add(f);
            }
            return f.session;
        }
    }

    private static CqlSettings settings() throws InvalidSettingsException {
        return SettingsParser.parse(new DataSourceSettings(1, "u", "n", null, null, null, false, null, null, Map.of(), 1, ""), Map.of());
    }

    @Test
    void concurrentCallersShareOneOpen() throws Exception {
        GatedFactory factory = new GatedFactory();
        DataSourceInstance instance = new DataSourceInstance(settings(), factory, "cql-t-1");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<CqlSession>> calls = new ArrayList<>();
            List<Thread> callers = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(pool.submit(() -> {
                    callers.add(Thread.currentThread());
                    return instance.session();
                }));
            }
            // all 16 queue up behind the one open: each caller parked (blocked or waiting) inside session(), the
            // only place these tasks can wait
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(callers.size() == 16 && callers.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.BLOCKED))) {
                assertTrue(System.nanoTime() < deadline, "timed out waiting for the 16 callers to queue up");
                Thread.sleep(5);
            }
            factory.release.countDown();
            CqlSession first = calls.get(0).get(10, TimeUnit.SECONDS);
            for (Future<CqlSession> f : calls) {
                assertSame(first, f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, factory.opens.get());
        } finally {
            pool.shutdownNow();
        }
        instance.close();
        assertEquals(1, factory.sessions.get(0).closes.get());
        assertThrows(IllegalStateException.class, instance::session);
    }

    @Test
    void aFailedOpenIsNotRememberedAndTheDriverExceptionReachesTheCaller() throws Exception {
        GatedFactory factory = new GatedFactory();
        factory.release.countDown();
        factory.failWith = new IllegalArgumentException("cluster down");
        DataSourceInstance instance = new DataSourceInstance(settings(), factory, "cql-t-2");
        assertEquals("cluster down", assertThrows(IllegalArgumentException.class, instance::session).getMessage());
        factory.failWith = null;
        CqlSession s = instance.session();
        assertSame(s, instance.session());
        assertEquals(2, factory.opens.get());
        instance.close();
    }

    @Test
    void closingWhileOpeningClosesTheSessionWhenItArrives() throws Exception {
        GatedFactory factory = new GatedFactory();
        DataSourceInstance instance = new DataSourceInstance(settings(), factory, "cql-t-3");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<CqlSession> caller = pool.submit(instance::session);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (factory.opens.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            instance.close(); // the plugin stops while the first query is still connecting
            factory.release.countDown();
            caller.get(10, TimeUnit.SECONDS);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (factory.sessions.get(0).closes.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(factory.sessions.get(0).closes.get() >= 1, "the late session was closed");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidSettingsAreReportedBySettingsAndSession() {
        DataSourceInstance instance = DataSourceInstance.create(io.opencql.grafana.backend.PluginContext.forDataSource(
                new DataSourceSettings(1, "u/ü", "n", null, null, null, false, null, "{\"port\":0}".getBytes(), Map.of(), 1, "")),
                new GatedFactory());
        assertEquals("port", assertThrows(InvalidSettingsException.class, instance::settings).key());
        assertEquals("port", assertThrows(InvalidSettingsException.class, instance::session).key());
        assertTrue(instance.sessionName().matches("cql-u__-\\d+"), instance.sessionName());
    }
}
