package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.cql.internal.connect.DataSourceInstance;
import io.opencql.cql.internal.connect.SessionFactory;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.instance.InstanceManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One session per data source instance, however many first queries race for it; a settings change replaces the
 * instance and closes the old session after the grace period, leaving no driver thread behind; plugin shutdown
 * closes the rest.
 */
class SessionLifecycleIT {

    static final int CALLERS = 16;

    private final AtomicInteger opens = new AtomicInteger();
    private CqlDataSource dataSource;
    private TestNode node;

    @BeforeEach
    void setUp() {
        node = TestNode.get();
        dataSource = DataSourceProbe.create(new SessionFactory() {
            @Override
            public CqlSession open(io.opencql.cql.internal.kernel.CqlSettings s, String name) throws InvalidSettingsException {
                opens.incrementAndGet();
                return super.open(s, name);
            }
        }, null);
    }

    @AfterEach
    void tearDown() {
        dataSource.close();
    }

    /** Live threads of one session: the driver names them "&lt;session name&gt;-io-0", "-admin-1", "-timer-0". */
    static List<String> threadsOf(String sessionName) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(sessionName + "-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void concurrentFirstQueriesOpenOneSession() throws Exception {
        DataSourceSettings ds = node.settings("lifecycle-concurrent", 1, "");
        PluginContext ctx = PluginContext.forDataSource(ds);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        java.util.Set<CqlSession> sessions = ConcurrentHashMap.newKeySet(); // sessions compare by identity
        List<Future<String>> results = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < CALLERS; i++) {
                results.add(callers.submit(() -> {
                    go.await();
                    try (InstanceManager.Lease<CqlInstance> lease = dataSource.instances().acquire(ctx)) {
                        CqlSession s = lease.instance().session();
                        sessions.add(s);
                        return s.execute("SELECT release_version FROM system.local").one().getString(0);
                    }
                }));
            }
            t0 = System.nanoTime();
            go.countDown();
            for (Future<String> f : results) {
                assertFalse(f.get(60, TimeUnit.SECONDS).isEmpty());
            }
        } finally {
            callers.shutdownNow();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(1, opens.get(), "session opens");
        assertEquals(1, sessions.size(), "distinct sessions handed out");
        assertEquals(1, dataSource.instances().size(), "instances");
        String name;
        try (InstanceManager.Lease<CqlInstance> lease = dataSource.instances().acquire(ctx)) {
            name = ((DataSourceInstance) lease.instance()).sessionName();
        }
        List<String> threads = threadsOf(name);
        assertFalse(threads.isEmpty(), "the session's threads are named after it");
        System.err.printf("FIGURE concurrent first queries: %d callers, %d session open(s), %d distinct session(s),"
                + " %d driver threads %s, all answered in %d ms%n", CALLERS, opens.get(), sessions.size(), threads.size(), threads, ms);
    }

    @Test
    void aSettingsChangeClosesTheOldSessionAfterTheGracePeriodWithoutLeakingThreads() throws Exception {
        PluginContext v1 = PluginContext.forDataSource(node.settings("lifecycle-change", 1, ""));
        PluginContext v2 = PluginContext.forDataSource(node.settings("lifecycle-change", 2, "\"pageSize\":100"));

        CqlSession old;
        String oldName;
        try (InstanceManager.Lease<CqlInstance> lease = dataSource.instances().acquire(v1)) {
            old = lease.instance().session();
            oldName = ((DataSourceInstance) lease.instance()).sessionName();
        }
        int oldThreads = threadsOf(oldName).size();
        assertTrue(oldThreads > 0, "threads of " + oldName);

        CqlSession fresh;
        String freshName;
        long changed;
        try (InstanceManager.Lease<CqlInstance> lease = dataSource.instances().acquire(v2)) {
            changed = System.nanoTime();
            fresh = lease.instance().session();
            freshName = ((DataSourceInstance) lease.instance()).sessionName();
            assertEquals(100, lease.instance().settings().pageSize());
        }
        assertFalse(freshName.equals(oldName));
        assertEquals(2, opens.get());
        assertFalse(old.isClosed(), "closed before the grace period: in-flight queries would fail");
        assertEquals(1, old.execute("SELECT release_version FROM system.local").all().size(), "old session still serves");

        long deadline = changed + TimeUnit.SECONDS.toNanos(15);
        while (!old.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);
        assertTrue(old.isClosed(), "old session closed within 15 s of the change");
        assertTrue(closedAfterMs >= CqlDataSource.GRACE.toMillis() - 200, "closed after " + closedAfterMs + " ms, before the grace");
        List<String> left = waitForNoThreads(oldName);
        assertEquals(List.of(), left, "threads of the replaced session");
        assertFalse(fresh.isClosed());
        assertEquals(1, fresh.execute("SELECT release_version FROM system.local").all().size());
        System.err.printf("FIGURE settings change: old session %s had %d threads, closed %d ms after the change, %d threads left;"
                + " new session %s has %d threads%n", oldName, oldThreads, closedAfterMs, left.size(), freshName, threadsOf(freshName).size());

        dataSource.plugin().onShutdown().run();
        assertTrue(fresh.isClosed(), "plugin shutdown closes every session");
        assertEquals(List.of(), waitForNoThreads(freshName));
        assertEquals(0, dataSource.instances().size());
    }

    @Test
    void closingTheInstanceClosesItsSession() throws Exception {
        PluginContext ctx = PluginContext.forDataSource(node.settings("lifecycle-close", 1, ""));
        CqlSession s;
        String name;
        try (InstanceManager.Lease<CqlInstance> lease = dataSource.instances().acquire(ctx)) {
            s = lease.instance().session();
            name = ((DataSourceInstance) lease.instance()).sessionName();
        }
        dataSource.close();
        assertTrue(s.isClosed());
        assertEquals(List.of(), waitForNoThreads(name));
    }

    @Test
    void aFailedOpenIsRetriedByTheNextCall() throws Exception {
        DataSourceSettings down = HealthIT.withJson(node.settings("lifecycle-retry", 1, ""), "{\"contactPoints\":\"127.0.0.1:1\"}");
        try (InstanceManager.Lease<CqlInstance> lease = dataSource.instances().acquire(PluginContext.forDataSource(down))) {
            for (int i = 0; i < 2; i++) {
                try {
                    lease.instance().session();
                    throw new AssertionError("connected to 127.0.0.1:1");
                } catch (com.datastax.oss.driver.api.core.AllNodesFailedException expected) {
                    // the driver's own exception reaches the caller
                }
            }
        }
        assertEquals(2, opens.get(), "each call after a failure tries again");
    }

    /** Netty threads end just after close() returns; give them a moment. */
    static List<String> waitForNoThreads(String sessionName) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> left = threadsOf(sessionName);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = threadsOf(sessionName);
        }
        return left;
    }
}
