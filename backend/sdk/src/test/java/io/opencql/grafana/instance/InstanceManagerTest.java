package io.opencql.grafana.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InstanceManagerTest {

    static final class Thing implements AutoCloseable {
        final long version;
        volatile boolean closed;

        Thing(long version) {
            this.version = version;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static PluginContext ctx(String uid, long updated, Map<String, String> cfg) {
        var ds = new DataSourceSettings(1, uid, "n", "", "", "", false, "", "{}".getBytes(), Map.of(), updated, "");
        return new PluginContext(1, "p", null, ds, cfg, "", "", "");
    }

    @Test
    void concurrentFirstRequestsCreateOneInstance() throws Exception {
        AtomicInteger created = new AtomicInteger();
        InstanceManager<Thing> m = new InstanceManager<>(c -> {
            created.incrementAndGet();
            Thread.sleep(50); // a slow factory widens the race window
            return new Thing(c.dataSource().lastUpdatedMs());
        });
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Thing>> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            all.add(pool.submit(() -> {
                go.await();
                try (var lease = m.acquire(ctx("a", 1, Map.of()))) {
                    return lease.instance();
                }
            }));
        }
        go.countDown();
        Thing first = all.get(0).get();
        for (Future<Thing> f : all) {
            assertSame(first, f.get());
        }
        assertEquals(1, created.get());
        pool.shutdown();
        m.close();
        assertTrue(first.closed);
    }

    @Test
    void aSettingsChangeReplacesAndDisposesAfterInFlightRequestsAndGrace() throws Exception {
        InstanceManager<Thing> m = new InstanceManager<>(c -> new Thing(c.dataSource().lastUpdatedMs()), Duration.ofMillis(100));
        var inFlight = m.acquire(ctx("a", 1, Map.of()));
        Thing old = inFlight.instance();
        Thing fresh;
        try (var lease = m.acquire(ctx("a", 2, Map.of()))) {
            fresh = lease.instance();
        }
        assertNotSame(old, fresh);
        assertEquals(2, fresh.version);
        // proof that the grace period of "a" is over: "b" is replaced after it with the same grace, on the same
        // single disposer thread, so its idle old instance closing means the grace task of "a" has run already
        Thing otherOld;
        try (var lease = m.acquire(ctx("b", 1, Map.of()))) {
            otherOld = lease.instance();
        }
        m.acquire(ctx("b", 2, Map.of())).close();
        waitUntil(() -> otherOld.closed, "the grace period of a later replacement to pass");
        assertFalse(old.closed, "still in use by a request: not closed even after the grace period");
        inFlight.close();
        assertTrue(old.closed, "closed as soon as the last request let go");
        assertFalse(fresh.closed);
        m.close();
    }

    @Test
    void aReplacedIdleInstanceIsClosedAfterTheGracePeriod() throws Exception {
        InstanceManager<Thing> m = new InstanceManager<>(c -> new Thing(c.dataSource().lastUpdatedMs()), Duration.ofMillis(100));
        Thing old;
        try (var lease = m.acquire(ctx("a", 1, Map.of()))) {
            old = lease.instance();
        }
        m.acquire(ctx("a", 1, Map.of("GF_SQL_ROW_LIMIT", "5"))).close(); // Grafana config changed
        assertFalse(old.closed, "not before the grace period");
        waitUntil(() -> old.closed, "the replaced idle instance to close after the grace period");
        m.close();
    }

    @Test
    void dataSourcesAndTenantsAreSeparate() throws Exception {
        InstanceManager<Thing> m = new InstanceManager<>(c -> new Thing(c.dataSource().lastUpdatedMs()));
        try (var a = m.acquire(ctx("a", 1, Map.of())); var b = m.acquire(ctx("b", 1, Map.of()))) {
            assertNotSame(a.instance(), b.instance());
        }
        var c1 = ctx("a", 1, Map.of());
        var tenant = new PluginContext(1, "p", null, c1.dataSource(), Map.of(), "", "", "tenant-2");
        try (var a = m.acquire(c1); var t = m.acquire(tenant)) {
            assertNotSame(a.instance(), t.instance());
        }
        assertEquals(3, m.size());
        m.close();
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void anIdleInstanceIsClosedAndTheNextRequestBuildsItAgain() throws Exception {
        AtomicInteger created = new AtomicInteger();
        InstanceManager<Thing> m = new InstanceManager<>(c -> {
            created.incrementAndGet();
            return new Thing(c.dataSource().lastUpdatedMs());
        }, Duration.ofSeconds(5), Duration.ofMillis(200));
        Thing first;
        try (var lease = m.acquire(ctx("a", 1, Map.of()))) {
            first = lease.instance();
        }
        long released = System.nanoTime();
        waitUntil(() -> first.closed, "the idle instance to be closed");
        long idleMs = (System.nanoTime() - released) / 1_000_000;
        assertTrue(idleMs >= 200, "closed after " + idleMs + " ms idle; the timeout is 200 ms");
        assertEquals(0, m.size());
        try (var lease = m.acquire(ctx("a", 1, Map.of()))) {
            assertNotSame(first, lease.instance());
            assertFalse(lease.instance().closed);
        }
        assertEquals(2, created.get());
        m.close();
    }

    @Test
    void anInstanceInUseIsNeverIdle() throws Exception {
        InstanceManager<Thing> m = new InstanceManager<>(c -> new Thing(1), Duration.ofSeconds(5), Duration.ofMillis(50));
        Thing held;
        Thing other;
        var lease = m.acquire(ctx("streaming", 1, Map.of()));
        held = lease.instance();
        try (var l = m.acquire(ctx("other", 1, Map.of()))) {
            other = l.instance();
        }
        waitUntil(() -> other.closed, "the other, idle, instance to be closed"); // several idle checks have run
        assertFalse(held.closed, "closed while a request (a Live stream) holds it");
        try (var again = m.acquire(ctx("streaming", 1, Map.of()))) {
            assertSame(held, again.instance());
        }
        lease.close();
        waitUntil(() -> held.closed, "the instance to be closed once idle");
        m.close();
    }

    @Test
    void zeroIdleTimeoutKeepsInstances() throws Exception {
        InstanceManager<Thing> m = new InstanceManager<>(c -> new Thing(1), Duration.ofSeconds(5), Duration.ZERO);
        Thing t;
        try (var lease = m.acquire(ctx("a", 1, Map.of()))) {
            t = lease.instance();
        }
        m.releaseIdle(); // what the timer would run: nothing is ever idle long enough
        assertFalse(t.closed);
        assertEquals(1, m.size());
        m.close();
    }
}
