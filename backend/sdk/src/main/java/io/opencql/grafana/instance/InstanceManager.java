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
 *
 * <p>An instance no request has used for the idle timeout is closed too (its sessions, threads and connections) and
 * built again by the next request: a Grafana with one data source per tenant or cluster would otherwise hold every
 * one it ever queried, for ever. An instance with a request in flight (a query, a Live stream) is never idle.
 */
public final class InstanceManager<I extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);

    private final InstanceFactory<I> factory;
    private final Duration grace;
    private final Map<String, Entry<I>> entries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService disposer;
    private final Duration idleTimeout;

    /**
     * @param idleTimeout an instance unused for this long is closed; zero or negative: never
     */
    public InstanceManager(InstanceFactory<I> factory, Duration grace, Duration idleTimeout) {
        this.factory = factory;
        this.grace = grace;
        this.idleTimeout = idleTimeout;
        this.disposer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "instance-disposer");
            t.setDaemon(true);
            return t;
        });
        if (idleTimeout.toMillis() > 0) {
            // checked 4 times per timeout: an idle instance goes between 1 and 1.25 timeouts after its last use
            long every = Math.max(10, Math.min(idleTimeout.toMillis() / 4, 30_000));
            disposer.scheduleWithFixedDelay(this::releaseIdle, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Instances are never released for being idle. */
    public InstanceManager(InstanceFactory<I> factory, Duration grace) {
        this(factory, grace, Duration.ZERO);
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
        volatile long lastUsedNanos = System.nanoTime();
        volatile boolean retired;
        volatile boolean graceOver;
        private boolean disposed;

        Entry(I instance, long lastUpdatedMs, Map<String, String> grafanaConfig) {
            this.instance = instance;
            this.lastUpdatedMs = lastUpdatedMs;
            this.grafanaConfig = grafanaConfig;
        }

        void release() {
            lastUsedNanos = System.nanoTime();
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

    /** Work done with a data source's instance. */
    @FunctionalInterface
    public interface WithInstance<I, R> {
        R apply(I instance) throws Exception;
    }

    /**
     * Dispatch to the instance of the request's data source: runs {@code work} with it, leased (so that a replaced
     * instance is closed only once its last call is done) for exactly as long as {@code work} runs.
     */
    public <R> R with(PluginContext ctx, WithInstance<I, R> work) throws Exception {
        try (Lease<I> lease = acquire(ctx)) {
            return work.apply(lease.instance());
        }
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

    /**
     * Closes the instances nobody used for the idle timeout. One that a request acquires meanwhile is closed by that
     * request's release instead; a request that finds it retired builds a new one (see {@link #acquire}).
     */
    void releaseIdle() {
        if (idleTimeout.toMillis() <= 0) {
            return;
        }
        long now = System.nanoTime();
        for (Map.Entry<String, Entry<I>> kv : entries.entrySet()) {
            Entry<I> e = kv.getValue();
            if (e.inFlight.get() > 0 || now - e.lastUsedNanos < idleTimeout.toNanos()) {
                continue;
            }
            synchronized (this) {
                if (!entries.remove(kv.getKey(), e)) {
                    continue; // replaced meanwhile: retire() has it
                }
            }
            e.retired = true;
            e.graceOver = true;
            if (e.inFlight.get() == 0) {
                LOG.atInfo().addKeyValue("idleSeconds", idleTimeout.toSeconds())
                        .log("closing a data source instance unused for {} s; the next request opens it again", idleTimeout.toSeconds());
                e.dispose();
            }
        }
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
