package io.opencql.cql.query;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverExecutionException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.InvalidKeyspaceException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.UnsupportedProtocolVersionException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.ConnectionInitException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.FunctionFailureException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.TruncateException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteFailureException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import io.opencql.cql.InvalidSettingsException;
import io.opencql.cql.connect.AuthAvailability;
import io.opencql.cql.connect.NodeLoss;
import io.opencql.grafana.backend.ErrorSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from a failure to the status and error source of a query's response; the text keeps the
 * node's or the driver's own message.
 *
 * <table>
 *   <caption>failure → status, source</caption>
 *   <tr><td>our own checks (model, macros, read-only guard, shapes)</td><td>as raised, 400 downstream</td></tr>
 *   <tr><td>invalid data source settings</td><td>400 downstream, naming the key</td></tr>
 *   <tr><td>syntax error, invalid query, unknown table/keyspace, function failure</td><td>400 downstream</td></tr>
 *   <tr><td>authentication failed (also when it is why all nodes failed)</td><td>401 downstream</td></tr>
 *   <tr><td>not authorised</td><td>403 downstream</td></tr>
 *   <tr><td>cancelled by the client</td><td>499 downstream ("client closed request")</td></tr>
 *   <tr><td>no node reachable, unavailable, overloaded, node-side failures, connection errors</td><td>502 downstream</td></tr>
 *   <tr><td>driver or node timeout</td><td>504 downstream, mentioning queryTimeoutSeconds</td></tr>
 *   <tr><td>anything else</td><td>500 plugin (logged with its stack trace)</td></tr>
 * </table>
 */
final class QueryErrors {

    private static final Logger LOG = LoggerFactory.getLogger(QueryErrors.class);

    /** A failure's response status, source and text. */
    record Mapped(int status, ErrorSource source, String message) {
    }

    private QueryErrors() {
    }

    static Mapped map(Throwable t, Duration queryTimeout) {
        t = unwrap(t);
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof QueryException q) {
            return new Mapped(q.status(), q.source(), msg);
        }
        if (t instanceof InvalidSettingsException s) {
            return down(400, "invalid data source settings (" + s.key() + "): " + msg);
        }
        if (t instanceof CancellationException) {
            return down(499, "query cancelled");
        }
        if (t instanceof AuthenticationException) {
            return down(401, "authentication failed: " + msg);
        }
        if (t instanceof UnauthorizedException && AuthAvailability.isAvailabilityFailure(t)) {
            return down(502, AuthAvailability.message(t));
        }
        if (t instanceof UnauthorizedException) {
            return down(403, "not authorised: " + msg);
        }
        if (t instanceof QueryValidationException || t instanceof FunctionFailureException || t instanceof InvalidKeyspaceException) {
            return down(400, msg); // SyntaxError, InvalidQuery, InvalidConfigurationInQuery, AlreadyExists, …
        }
        if (t instanceof DriverTimeoutException) {
            return down(504, "query timed out after " + human(queryTimeout) + " (setting queryTimeoutSeconds): " + msg);
        }
        if (t instanceof ReadTimeoutException || t instanceof WriteTimeoutException) {
            return down(504, "the node timed out: " + msg + " (the node's own request timeout; narrow the query, e.g. its time range"
                    + " or partitions, or raise the node's timeout; this data source waits up to queryTimeoutSeconds = "
                    + human(queryTimeout) + ")");
        }
        String lost = NodeLoss.describe(t);
        if (lost != null) {
            return down(502, lost);
        }
        if (t instanceof AllNodesFailedException all) {
            Throwable auth = firstAuthenticationError(all);
            if (auth != null) {
                return down(401, "authentication failed: " + auth.getMessage());
            }
            return down(502, "no node could run the query: " + msg);
        }
        if (t instanceof UnavailableException || t instanceof QueryConsistencyException || t instanceof OverloadedException
                || t instanceof BootstrappingException || t instanceof ReadFailureException || t instanceof WriteFailureException
                || t instanceof ServerError || t instanceof TruncateException || t instanceof NodeUnavailableException
                || t instanceof ClosedConnectionException || t instanceof HeartbeatException || t instanceof ConnectionInitException
                || t instanceof BusyConnectionException || t instanceof UnsupportedProtocolVersionException) {
            return down(502, msg);
        }
        LOG.error("query failed with an unexpected error", t);
        return new Mapped(500, ErrorSource.PLUGIN, "internal error: " + t.getClass().getSimpleName() + ": " + msg);
    }

    /** The driver's "no node was available": every pool empty, no node even tried (so no per-node errors). */
    static boolean noNodeAvailable(Throwable t) {
        t = unwrap(t);
        return t instanceof AllNodesFailedException all && all.getAllErrors().isEmpty();
    }

    private static Mapped down(int status, String message) {
        return new Mapped(status, ErrorSource.DOWNSTREAM, message);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof DriverExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Throwable firstAuthenticationError(AllNodesFailedException e) {
        for (Map.Entry<?, List<Throwable>> entry : e.getAllErrors().entrySet()) {
            for (Throwable cause : entry.getValue()) {
                for (Throwable c = cause; c != null; c = c.getCause()) {
                    if (c instanceof AuthenticationException) {
                        return c;
                    }
                }
            }
        }
        return null;
    }

    private static String human(Duration d) {
        if (d == null) {
            return "the timeout";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
