package io.opencql.grafana.instance;

import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance per data source (uid, org and tenant), rebuilt when the data source's {@code lastUpdatedMS}
 * or Grafana's config changes. Concurrent first requests create one instance. A replaced instance is closed
 * once its grace period has passed and no request holds a {@link Lease} on it any more, so in-flight
 * requests finish on the instance they started with.
 */
public final class InstanceManager<I extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);

    private final InstanceFactory<I> factory;
    private final Duration grace;
    private final Map<String, Entry<I>> entries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService disposer;

    public InstanceManager(InstanceFactory<I> factory, Duration grace) {
        this.factory = factory;
        this.grace = grace;
        this.disposer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "instance-disposer");
            t.setDaemon(true);
            return t;
        });
    }

    public InstanceManager(InstanceFactory<I> factory) {
        this(factory, Duration.ofSeconds(5));
    }

    /** A hold on an instance for the duration of one request; close it when the request is done. */
    public static final class Lease<I extends AutoCloseable> implements AutoCloseable {
        private final Entry<I> entry;
        private boolean closed;

        private Lease(Entry<I> entry) {
            this.entry = entry;
        }

        public I instance() {
            return entry.instance;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                entry.release();
            }
        }
    }

    private static final class Entry<I extends AutoCloseable> {
        final I instance;
        final long lastUpdatedMs;
        final Map<String, String> grafanaConfig;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean retired;
        volatile boolean graceOver;
        private boolean disposed;

        Entry(I instance, long lastUpdatedMs, Map<String, String> grafanaConfig) {
            this.instance = instance;
            this.lastUpdatedMs = lastUpdatedMs;
            this.grafanaConfig = grafanaConfig;
        }

        void release() {
            if (inFlight.decrementAndGet() == 0 && retired && graceOver) {
                dispose();
            }
        }

        synchronized void dispose() {
            if (disposed) {
                return;
            }
            disposed = true;
            try {
                instance.close();
            } catch (Exception e) {
                LOG.warn("closing a replaced data source instance failed", e);
            }
        }
    }

    /** The key of a data source: uid (or the deprecated numeric id), org and tenant. */
    static String key(PluginContext ctx) {
        DataSourceSettings ds = ctx.dataSource();
        String id = ds == null ? "" : (ds.uid() != null && !ds.uid().isEmpty() ? ds.uid() : "#" + ds.id());
        return id + "|" + ctx.orgId() + "|" + ctx.tenantId();
    }

    /** The instance for this request's data source, creating or replacing it as needed. */
    public Lease<I> acquire(PluginContext ctx) throws Exception {
        String key = key(ctx);
        long updated = ctx.dataSource() == null ? 0 : ctx.dataSource().lastUpdatedMs();
        while (true) {
            Entry<I> e = entries.get(key);
            if (e == null || e.lastUpdatedMs != updated || !e.grafanaConfig.equals(ctx.grafanaConfig())) {
                e = replace(key, e, ctx, updated);
            }
            e.inFlight.incrementAndGet();
            if (!e.retired) {
                return new Lease<>(e);
            }
            // replaced between the lookup and the increment: let go and look again
            e.release();
        }
    }

    private Entry<I> replace(String key, Entry<I> seen, PluginContext ctx, long updated) throws Exception {
        synchronized (this) {
            Entry<I> current = entries.get(key);
            if (current != seen && current != null && current.lastUpdatedMs == updated
                    && current.grafanaConfig.equals(ctx.grafanaConfig())) {
                return current; // another request built it meanwhile
            }
            I created = factory.create(ctx);
            Entry<I> fresh = new Entry<>(created, updated, ctx.grafanaConfig());
            entries.put(key, fresh);
            if (current != null) {
                retire(current);
            }
            return fresh;
        }
    }

    private void retire(Entry<I> old) {
        old.retired = true;
        disposer.schedule(() -> {
            old.graceOver = true;
            if (old.inFlight.get() == 0) {
                old.dispose();
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Instances currently cached (for metrics and tests). */
    public int size() {
        return entries.size();
    }

    /** Closes every instance now (plugin shutdown). */
    @Override
    public synchronized void close() {
        for (Entry<I> e : entries.values()) {
            e.retired = true;
            e.dispose();
        }
        entries.clear();
        disposer.shutdownNow();
    }
}
