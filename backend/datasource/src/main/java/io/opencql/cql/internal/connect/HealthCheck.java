package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.opencql.cql.internal.failure.Failure;
import io.opencql.cql.internal.failure.PoolDiagnosis;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.internal.kernel.Seconds;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.ErrorSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Save &amp; test": settings valid → session open (the instance's own, so the first query reuses it) → what the
 * node says about itself → the configured keyspace exists. Every failure says which step failed and what to
 * change; the whole check is bounded by the session open budget plus connectTimeout for its queries.
 */
public final class HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

    private HealthCheck() {
    }

    public static CheckHealthResult check(CqlInstance instance) {
        CqlSettings s;
        try {
            s = instance.settings();
        } catch (InvalidSettingsException e) {
            return new CheckHealthResult(CheckHealthResult.Status.ERROR, "Invalid settings: " + e.getMessage(), Map.of());
        }
        CqlSession session;
        try {
            session = instance.session();
        } catch (Exception e) {
            return failed(Failure.connecting(e, s));
        }
        try {
            return describe(session, s);
        } catch (Exception e) {
            Throwable cause = Failure.unwrap(e);
            if (cause instanceof com.datastax.oss.driver.api.core.DriverTimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException) {
                return failed(new Failure(Failure.Kind.TIMEOUT, 504, ErrorSource.DOWNSTREAM, "Timed out: connected, but the node did"
                        + " not answer a query on its system tables within " + Seconds.text(s.connectTimeout())
                        + " (jsonData.connectTimeoutSeconds); the node may be overloaded", Failure.chain(cause)));
            }
            if (Failure.noNodeAvailable(cause)) {
                // the session is open but has no connection: say why, as a query would
                PoolDiagnosis.Cause c = PoolDiagnosis.explain(session, s);
                if (c != null) {
                    return failed(c.keyspaceMissing() ? Failure.keyspaceMissing(s, Failure.chain(cause))
                            : c.failure("No node available: ", Failure.chain(cause)));
                }
            }
            return failed(Failure.connecting(cause, s));
        }
    }

    private static CheckHealthResult describe(CqlSession session, CqlSettings s) throws Exception {
        Duration timeout = s.connectTimeout();
        CompletableFuture<AsyncResultSet> local = session.executeAsync(SimpleStatement
                .newInstance("SELECT release_version, cluster_name, data_center FROM system.local")
                .setTimeout(timeout)).toCompletableFuture();
        // ScyllaDB reports a Cassandra-compatible release_version; its own version is in system.versions,
        // which Cassandra does not have (that query fails there, which is the answer)
        CompletableFuture<AsyncResultSet> scylla = session.executeAsync(SimpleStatement
                .newInstance("SELECT version FROM system.versions WHERE key = 'local'")
                .setTimeout(timeout)).toCompletableFuture();
        CompletableFuture<AsyncResultSet> keyspace = s.keyspace() == null ? null : session.executeAsync(SimpleStatement
                .newInstance("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?",
                        CqlIdentifier.fromCql(s.keyspace()).asInternal())
                .setTimeout(timeout)).toCompletableFuture();

        long wait = timeout.toMillis() + 500;
        Row node = local.get(wait, TimeUnit.MILLISECONDS).one();
        String scyllaVersion = null;
        try {
            Row v = scylla.get(wait, TimeUnit.MILLISECONDS).one();
            scyllaVersion = v == null ? null : v.getString("version");
        } catch (Exception notScylla) {
            LOG.trace("no system.versions: not ScyllaDB", notScylla);
        }
        if (keyspace != null && keyspace.get(wait, TimeUnit.MILLISECONDS).one() == null) {
            return failed(Failure.keyspaceMissing(s, ""));
        }
        StringBuilder m = new StringBuilder("Connected to ");
        if (scyllaVersion != null) {
            m.append("ScyllaDB ").append(scyllaVersion);
        } else {
            m.append("Apache Cassandra ").append(node == null ? "(unknown version)" : node.getString("release_version"));
        }
        if (node != null) {
            m.append(", cluster ").append(node.getString("cluster_name")).append(", datacenter ").append(node.getString("data_center"));
        }
        if (s.keyspace() != null) {
            m.append(" (keyspace ").append(CqlIdentifier.fromCql(s.keyspace()).asInternal()).append(')');
        }
        return CheckHealthResult.ok(m.toString());
    }

    private static CheckHealthResult failed(Failure f) {
        LOG.debug("health check failed: {}", f.message());
        return new CheckHealthResult(CheckHealthResult.Status.ERROR, f.message(),
                f.verboseMessage() == null || f.verboseMessage().isEmpty() ? Map.of() : Map.of("verboseMessage", f.verboseMessage()));
    }
}
