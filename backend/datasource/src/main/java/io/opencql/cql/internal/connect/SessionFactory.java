package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.auth.ProgrammaticPlainTextAuthProvider;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.metadata.Node;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.DatacenterInferenceException;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.internal.kernel.SessionOpenTimeoutException;
import io.opencql.cql.internal.kernel.UnresolvedContactPointsException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens driver sessions from {@link CqlSettings}. Every network step is bounded by connectTimeout, and the whole
 * open by {@link #openBudget}.
 *
 * <p>Local DC: when {@code localDatacenter} is not set, the session's load-balancing policy ({@link LocalDcPolicy})
 * reads the cluster's topology as the session opens, and the DC of the first configured contact point the cluster
 * knows wins; when none of them is recognised (address translation, a proxy) and the whole cluster is one DC,
 * that DC. Until stop 13 a probe session found it first, which cost a data source's first query a connection and
 * a login more (docs/performance.md).
 */
public class SessionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);
    static final Duration MARGIN = Duration.ofSeconds(1);

    private static final AtomicInteger OPENER_THREADS = new AtomicInteger();
    /** Opens run here, not on the caller: a cancelled query must not abort an open other queries wait for. */
    private static final ExecutorService OPENER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cql-session-open-" + OPENER_THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** The session is open in the background; the future fails with the driver's exception. */
    public CompletableFuture<CqlSession> openAsync(CqlSettings settings, String sessionName) {
        CompletableFuture<CqlSession> result = new CompletableFuture<>();
        OPENER.execute(() -> {
            try {
                result.complete(open(settings, sessionName));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /**
     * How long opening a session may take in total: a safety net above the driver's own per-step timeouts
     * (each TCP connect, handshake request and control query is bounded by connectTimeout), for several
     * unresponsive contact points tried one after another, and a cold JVM's first open (class loading, 1-5 s).
     */
    public static Duration openBudget(CqlSettings s) {
        return s.connectTimeout().multipliedBy(2).plus(MARGIN);
    }

    /**
     * Opens a session on this thread; throws the driver's exception, or {@link SessionOpenTimeoutException}.
     * Overridable so tests can count opens.
     */
    public CqlSession open(CqlSettings s, String sessionName) throws InvalidSettingsException {
        long started = System.nanoTime();
        long deadline = started + openBudget(s).toNanos();
        List<InetSocketAddress> points = resolve(s.contactPoints());
        SSLContext ssl = null;
        if (s.tls().enabled()) {
            ssl = PemTls.sslContext(s.tls());
            if (s.tls().skipVerify()) {
                LOG.warn("TLS certificate and host name verification are off for session {} (jsonData.tlsSkipVerify): "
                        + "anyone between Grafana and the cluster can read and change the traffic", sessionName);
            }
        }
        CqlSessionBuilder real = builder(s, points, ssl).withConfigLoader(sessionConfig(s, sessionName, points));
        if (s.localDatacenter() != null) {
            real.withLocalDatacenter(s.localDatacenter());
        }
        if (s.keyspace() != null) {
            real.withKeyspace(CqlIdentifier.fromCql(s.keyspace()));
        }
        CqlSession session = await(real.buildAsync(), deadline, s);
        if (s.localDatacenter() != null) {
            checkDatacenter(session, s.localDatacenter());
        } else {
            inferredDatacenter(session, sessionName, started);
        }
        LOG.debug("session {} open in {} ms", sessionName, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return session;
    }

    /** The real session's driver options ({@link DriverConfig}); overridable so tests can narrow its bounds. */
    protected DriverConfigLoader sessionConfig(CqlSettings s, String sessionName, List<InetSocketAddress> points) {
        return DriverConfig.session(s, sessionName, points);
    }

    /**
     * The local DC that {@link LocalDcPolicy} found as the session opened; when it could choose none, the session
     * is closed and the reason thrown, as the settings' problem it is.
     */
    private static void inferredDatacenter(CqlSession session, String sessionName, long started) {
        if (!(session.getContext().getLoadBalancingPolicy(DriverExecutionProfile.DEFAULT_NAME) instanceof LocalDcPolicy p)) {
            return; // a test's own options (sessionConfig) chose another policy
        }
        if (p.failure().isPresent()) {
            session.closeAsync();
            throw p.failure().get();
        }
        LOG.info("session {}: local datacenter {} inferred from the contact points, session open in {} ms (set jsonData.localDatacenter to name it)",
                sessionName, p.inferred().orElse("?"), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static CqlSessionBuilder builder(CqlSettings s, List<InetSocketAddress> points, SSLContext ssl) {
        // shows in system_views.clients, so operators can tell Grafana's connections apart
        CqlSessionBuilder b = CqlSession.builder().addContactPoints(points).withApplicationName("Grafana CQL data source");
        if (s.username() != null) {
            // the credentials go to the auth provider only, never into the config tree (which can be dumped)
            b.withAuthProvider(new ProgrammaticPlainTextAuthProvider(s.username(), s.password() == null ? "" : s.password()));
        }
        if (ssl != null) {
            b.withSslEngineFactory(new TlsEngineFactory(ssl, s.tls().serverName(), !s.tls().skipVerify()));
        }
        return b;
    }

    /** A mistyped local DC makes every node remote: the session opens, but every query fails. Say so now. */
    private static void checkDatacenter(CqlSession session, String dc) throws InvalidSettingsException {
        Set<String> all = new TreeSet<>();
        for (Node n : session.getMetadata().getNodes().values()) {
            if (n.getDatacenter() != null) {
                all.add(n.getDatacenter());
            }
        }
        if (!all.isEmpty() && !all.contains(dc)) {
            session.closeAsync();
            throw new InvalidSettingsException("localDatacenter", "jsonData.localDatacenter \"" + dc
                    + "\" is not a datacenter of this cluster; it has " + String.join(", ", all));
        }
    }

    /**
     * Resolves each contact point to all its addresses (a DNS name may list every node), keeping the name for
     * TLS host name checks; fails only when none resolves.
     */
    static List<InetSocketAddress> resolve(List<CqlSettings.ContactPoint> contactPoints) {
        List<InetSocketAddress> out = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (CqlSettings.ContactPoint cp : contactPoints) {
            try {
                for (InetAddress address : InetAddress.getAllByName(cp.host())) {
                    InetSocketAddress a = new InetSocketAddress(address, cp.port());
                    if (!out.contains(a)) {
                        out.add(a);
                    }
                }
            } catch (UnknownHostException e) {
                unknown.add(cp.toString());
            }
        }
        if (out.isEmpty()) {
            throw new UnresolvedContactPointsException(unknown);
        }
        if (!unknown.isEmpty()) {
            LOG.warn("contact points {} do not resolve to an address; connecting through the others", unknown);
        }
        return out;
    }

    /** The DC of the first contact point (in the order given) that the cluster knows; else the only DC. */
    static String inferLocalDc(Collection<Node> nodes, List<InetSocketAddress> points) {
        Set<String> all = new TreeSet<>();
        for (Node n : nodes) {
            if (n.getDatacenter() != null) {
                all.add(n.getDatacenter());
            }
        }
        for (InetSocketAddress point : points) {
            for (Node n : nodes) {
                if (n.getDatacenter() != null && sameAddress(point, n)) {
                    return n.getDatacenter();
                }
            }
        }
        if (all.size() == 1) {
            return all.iterator().next();
        }
        throw new DatacenterInferenceException("cannot infer the local datacenter: the contact points are not among the nodes the "
                + "cluster reports, and the cluster has " + (all.isEmpty() ? "no datacenter names" : "datacenters " + all)
                + "; set jsonData.localDatacenter");
    }

    private static boolean sameAddress(InetSocketAddress point, Node n) {
        Set<SocketAddress> candidates = new LinkedHashSet<>();
        candidates.add(n.getEndPoint().resolve());
        n.getBroadcastRpcAddress().ifPresent(candidates::add);
        for (SocketAddress c : candidates) {
            if (c instanceof InetSocketAddress i && i.getPort() == point.getPort()
                    && i.getAddress() != null && i.getAddress().equals(point.getAddress())) {
                return true;
            }
        }
        return false;
    }

    private static CqlSession await(CompletionStage<CqlSession> stage, long deadlineNanos, CqlSettings s) {
        CompletableFuture<CqlSession> f = stage.toCompletableFuture();
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            closeWhenOpen(f);
            throw new SessionOpenTimeoutException(s.connectTimeout(), openBudget(s));
        } catch (InterruptedException e) {
            closeWhenOpen(f);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** A session that finishes opening after we gave up on it must still be closed (threads, sockets). */
    private static void closeWhenOpen(CompletableFuture<CqlSession> f) {
        f.whenComplete((session, error) -> {
            if (session != null) {
                session.closeAsync();
            }
        });
    }
}
