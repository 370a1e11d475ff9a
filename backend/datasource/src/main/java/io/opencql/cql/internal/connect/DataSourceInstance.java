package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.cql.internal.failure.Failure;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.internal.kernel.Seconds;
import io.opencql.cql.internal.kernel.SettingsParser;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data source's settings and its one session. Creating it is cheap (settings are parsed, nothing connects);
 * the first {@link #session()} call opens the session and every concurrent caller waits for that same open.
 * A failed open is not remembered: the next call tries again (the cluster may be back).
 */
public final class DataSourceInstance implements CqlInstance {

    private static final Logger LOG = LoggerFactory.getLogger(DataSourceInstance.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final CqlSettings settings;
    private final InvalidSettingsException invalid;
    private final SessionFactory factory;
    private final String sessionName;

    private final Object lock = new Object();
    private CompletableFuture<CqlSession> opening; // guarded by lock
    private boolean closed; // guarded by lock

    public DataSourceInstance(CqlSettings settings, SessionFactory factory, String sessionName) {
        this.settings = settings;
        this.invalid = null;
        this.factory = factory;
        this.sessionName = sessionName;
    }

    private DataSourceInstance(InvalidSettingsException invalid, String sessionName) {
        this.settings = null;
        this.invalid = invalid;
        this.factory = null;
        this.sessionName = sessionName;
    }

    /** The instance for a request's data source; invalid settings give an instance that reports them. */
    public static DataSourceInstance create(PluginContext ctx, SessionFactory factory) {
        DataSourceSettings ds = ctx.dataSource();
        String name = sessionName(ds);
        try {
            return new DataSourceInstance(SettingsParser.parse(ds, ctx.grafanaConfig()), factory, name);
        } catch (InvalidSettingsException e) {
            return new DataSourceInstance(e, name);
        }
    }

    /** "cql-&lt;uid&gt;-&lt;n&gt;": unique per instance, so its driver threads are told apart from a replaced one's. */
    static String sessionName(DataSourceSettings ds) {
        String id = ds == null ? "none" : ds.uid() != null && !ds.uid().isBlank() ? ds.uid() : String.valueOf(ds.id());
        id = id.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (id.length() > 40) {
            id = id.substring(0, 40);
        }
        return "cql-" + id + "-" + SEQUENCE.incrementAndGet();
    }

    @Override
    public CqlSettings settings() throws InvalidSettingsException {
        if (invalid != null) {
            throw invalid;
        }
        return settings;
    }

    public String sessionName() {
        return sessionName;
    }

    @Override
    public CqlSession session() throws InvalidSettingsException {
        CqlSettings s = settings();
        CompletableFuture<CqlSession> f;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the data source instance is closed (its settings changed or the plugin is stopping)");
            }
            if (opening == null || opening.isCompletedExceptionally()) {
                opening = factory.openAsync(s, sessionName);
                CompletableFuture<CqlSession> mine = opening;
                mine.whenComplete((session, error) -> {
                    if (session != null) {
                        closeIfClosedMeanwhile(session);
                    }
                });
            }
            f = opening;
        }
        try {
            try {
                return f.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException slow) {
                // Save & test or a panel is waiting on the connect: say on what, and for how long at most
                LOG.atInfo().addKeyValue("session", sessionName).log("waiting for session {} to open: connecting to {}"
                        + " (each step bounded by jsonData.connectTimeoutSeconds = {}; gives up after {} in all)", sessionName,
                        s.contactPoints(), Seconds.text(s.connectTimeout()), Seconds.text(SessionFactory.openBudget(s)));
                return f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = Failure.unwrap(e);
            if (cause instanceof InvalidSettingsException ise) {
                throw ise;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the open goes on for the other callers
            throw new CancellationException("interrupted while waiting for the session to open");
        }
    }

    @Override
    public void reopen(CqlSession stale) {
        synchronized (lock) {
            if (closed || opening == null || !opening.isDone() || opening.isCompletedExceptionally() || opening.join() != stale) {
                return; // already replaced (another panel got here first), or never this instance's
            }
            opening = null;
        }
        LOG.atInfo().addKeyValue("session", sessionName).log("session {}: its nodes answer again but it could not reconnect"
                + " to them; opening a new session", sessionName);
        stale.closeAsync();
    }

    private void closeIfClosedMeanwhile(CqlSession session) {
        boolean close;
        synchronized (lock) {
            close = closed;
        }
        if (close) {
            session.closeAsync(); // close() already ran while this session was opening
        }
    }

    @Override
    public void close() {
        CompletableFuture<CqlSession> f;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            f = opening;
            opening = null;
        }
        if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
            CqlSession session = f.join();
            try {
                session.close();
                LOG.debug("session {} closed", sessionName);
            } catch (RuntimeException e) {
                LOG.warn("closing session {} failed", sessionName, e);
            }
        }
        // still opening: closeIfClosedMeanwhile closes it when it is ready
    }
}
