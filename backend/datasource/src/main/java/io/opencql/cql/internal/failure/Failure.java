package io.opencql.cql.internal.failure;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverExecutionException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.InvalidKeyspaceException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.UnsupportedProtocolVersionException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.ConnectionInitException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.metadata.Node;
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
import io.netty.channel.ConnectTimeoutException;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.DatacenterInferenceException;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.cql.internal.kernel.Seconds;
import io.opencql.cql.internal.kernel.SessionOpenTimeoutException;
import io.opencql.cql.internal.kernel.UnresolvedContactPointsException;
import io.opencql.grafana.backend.ErrorSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure classifier of the data source: an exception becomes a kind, the HTTP status and error source
 * of a response, a message an operator can act on, and the verbose driver chain. Queries, Save &amp; test, schema
 * resources and Live all ask here, so one failure reads the same wherever it surfaces.
 *
 * <p>Two moments, one table: {@link #connecting} describes why a session could not be opened (Save &amp; test's
 * words, naming the contact points, the TLS or authentication problem and the setting to change); a query whose
 * session cannot be opened gets exactly that description. {@link #querying} describes a statement that failed on
 * an open session, keeping the node's or the driver's own message.
 *
 * <table>
 *   <caption>failure → status, source</caption>
 *   <tr><td>our own checks (model, macros, read-only guard, shapes)</td><td>as raised, 400 downstream</td></tr>
 *   <tr><td>invalid data source settings, unknown keyspace</td><td>400 downstream, naming the key</td></tr>
 *   <tr><td>syntax error, invalid query, unknown table, function failure</td><td>400 downstream</td></tr>
 *   <tr><td>authentication failed (also when it is why all nodes failed)</td><td>401 downstream</td></tr>
 *   <tr><td>not authorised</td><td>403 downstream</td></tr>
 *   <tr><td>cancelled by the client</td><td>499 downstream ("client closed request")</td></tr>
 *   <tr><td>no node reachable, TLS handshake, unavailable, overloaded, node-side failures, connection errors</td><td>502 downstream</td></tr>
 *   <tr><td>driver or node timeout</td><td>504 downstream, naming the timeout setting</td></tr>
 *   <tr><td>anything else</td><td>500 plugin (logged with its stack trace)</td></tr>
 * </table>
 * Neither message ever contains a password: the driver's messages name the user at most, and PEM text never
 * reaches an exception message.
 */
public record Failure(Kind kind, int status, ErrorSource source, String message, String verboseMessage) {

    private static final Logger LOG = LoggerFactory.getLogger(Failure.class);

    public enum Kind {
        SETTINGS(400), QUERY(400), KEYSPACE(400), AUTHENTICATION(401), NOT_AUTHORISED(403), CANCELLED(499),
        NO_HOST(502), TLS(502), UNAVAILABLE(502), BUSY(503), TIMEOUT(504), INTERNAL(500);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The response status a failure of this kind gets. */
        public int status() {
            return status;
        }
    }

    private Failure(Kind kind, String message, String verboseMessage) {
        this(kind, kind.status(), kind == Kind.INTERNAL ? ErrorSource.PLUGIN : ErrorSource.DOWNSTREAM, message, verboseMessage);
    }

    /** The client went away (Grafana cancelled the request): nobody reads it, but every refId gets an answer. */
    public static Failure cancelled() {
        return new Failure(Kind.CANCELLED, "query cancelled", "");
    }

    /** The one unwrap of the future and driver wrappers around the failure that matters. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof DriverExecutionException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    // ---- a statement on an open session

    /** Why a statement failed; {@code queryTimeout} (may be null) is the setting a driver timeout names. */
    public static Failure querying(Throwable error, Duration queryTimeout) {
        Throwable t = unwrap(error);
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof DescribedFailure s) {
            return s.failure();
        }
        if (t instanceof QueryException q) {
            return new Failure(q.status() == 499 ? Kind.CANCELLED : q.status() >= 500 ? Kind.INTERNAL : Kind.QUERY, q.status(),
                    q.source(), msg, "");
        }
        if (t instanceof InvalidSettingsException s) {
            return new Failure(Kind.SETTINGS, "invalid data source settings (" + s.key() + "): " + msg, "");
        }
        if (t instanceof CancellationException) {
            return cancelled();
        }
        if (t instanceof AuthenticationException) {
            return new Failure(Kind.AUTHENTICATION, "authentication failed: " + msg, chain(t));
        }
        if (t instanceof UnauthorizedException && AuthAvailability.isAvailabilityFailure(t)) {
            return new Failure(Kind.UNAVAILABLE, AuthAvailability.message(t), chain(t));
        }
        if (t instanceof UnauthorizedException) {
            return new Failure(Kind.NOT_AUTHORISED, "not authorised: " + msg, "");
        }
        if (t instanceof QueryValidationException || t instanceof FunctionFailureException) {
            return new Failure(Kind.QUERY, msg, ""); // SyntaxError, InvalidQuery, InvalidConfigurationInQuery, AlreadyExists, …
        }
        if (t instanceof InvalidKeyspaceException) {
            return new Failure(Kind.KEYSPACE, msg, "");
        }
        if (t instanceof DriverTimeoutException) {
            return new Failure(Kind.TIMEOUT, "query timed out after " + human(queryTimeout) + " (setting queryTimeoutSeconds): " + msg, "");
        }
        if (t instanceof ReadTimeoutException || t instanceof WriteTimeoutException) {
            return new Failure(Kind.TIMEOUT, "the node timed out: " + msg + " (the node's own request timeout; narrow the query, e.g."
                    + " its time range or partitions, or raise the node's timeout; this data source waits up to queryTimeoutSeconds = "
                    + human(queryTimeout) + ")", "");
        }
        if (t instanceof RequestThrottlingException) {
            return new Failure(Kind.BUSY, "too many requests at once on this data source: " + msg + "; this one was refused"
                    + " rather than queued without end. Spread the dashboards' refreshes, or lower partitionReads", "");
        }
        String lost = NodeLoss.describe(t);
        if (lost != null) {
            return new Failure(Kind.UNAVAILABLE, lost, chain(t));
        }
        if (t instanceof AllNodesFailedException all) {
            Throwable auth = firstAuthenticationError(all);
            if (auth != null) {
                return new Failure(Kind.AUTHENTICATION, "authentication failed: " + auth.getMessage(), chain(t));
            }
            return new Failure(Kind.NO_HOST, "no node could run the query: " + msg, chain(t));
        }
        if (t instanceof UnavailableException || t instanceof QueryConsistencyException || t instanceof OverloadedException
                || t instanceof BootstrappingException || t instanceof ReadFailureException || t instanceof WriteFailureException
                || t instanceof ServerError || t instanceof TruncateException || t instanceof NodeUnavailableException
                || t instanceof ClosedConnectionException || t instanceof HeartbeatException || t instanceof ConnectionInitException
                || t instanceof BusyConnectionException || t instanceof UnsupportedProtocolVersionException) {
            return new Failure(Kind.UNAVAILABLE, msg, chain(t));
        }
        LOG.error("query failed with an unexpected error", t);
        return new Failure(Kind.INTERNAL, "internal error: " + t.getClass().getSimpleName() + ": " + msg, chain(t));
    }

    // ---- opening a session (Save & test, and a query or resource whose session cannot be opened)

    /**
     * Why a session could not be opened (or a health query failed), in words an operator can act on: which of
     * authentication, reachability, TLS, keyspace, timeout or settings it was, and what to change; for
     * connection failures a plain TCP connect to each contact point says why. A failure that is none of these
     * (a fault of the plugin) is described as {@link #querying} would.
     */
    public static Failure connecting(Throwable error, CqlSettings s) {
        Throwable t = unwrap(error);
        String verbose = chain(t);
        if (t instanceof CancellationException) {
            return cancelled();
        }
        if (t instanceof InvalidSettingsException e) {
            return new Failure(Kind.SETTINGS, "Invalid settings: " + e.getMessage(), verbose);
        }
        if (t instanceof SessionOpenTimeoutException e) {
            return new Failure(Kind.TIMEOUT, "Timed out: " + e.getMessage() + " while connecting to "
                    + points(s) + "; raise jsonData.connectTimeoutSeconds if the cluster is slow to answer", verbose);
        }
        if (t instanceof DriverTimeoutException) {
            return new Failure(Kind.TIMEOUT, "Timed out: the node did not answer within "
                    + Seconds.text(s.queryTimeout()) + "; raise jsonData.queryTimeoutSeconds if it is busy", verbose);
        }
        if (t instanceof InvalidKeyspaceException) {
            return keyspaceMissing(s, verbose);
        }
        if (t instanceof UnresolvedContactPointsException e) {
            return new Failure(Kind.NO_HOST, "No host reachable: tried " + String.join(", ", e.contactPoints())
                    + " (unknown host: the name does not resolve); check jsonData.contactPoints", verbose);
        }
        if (t instanceof UnauthorizedException && AuthAvailability.isAvailabilityFailure(t)) {
            // never a permission hint for an availability problem
            return new Failure(Kind.UNAVAILABLE, "Unavailable: " + AuthAvailability.message(t), verbose);
        }
        if (t instanceof UnauthorizedException) {
            return new Failure(Kind.NOT_AUTHORISED, "Not authorized: " + t.getMessage()
                    + " (grant the user SELECT on the keyspaces Grafana reads)", verbose);
        }
        if (t instanceof AllNodesFailedException all) {
            return allNodesFailed(all, s, verbose);
        }
        if (tls(t) != null) {
            return tlsFailure(tls(t), s, verbose);
        }
        if (t instanceof DatacenterInferenceException) {
            return new Failure(Kind.SETTINGS, "Cannot choose a local datacenter: " + t.getMessage(), verbose);
        }
        if (t instanceof DriverException) {
            return new Failure(Kind.UNAVAILABLE, "Cannot connect to " + points(s) + ": " + rootMessage(t), verbose);
        }
        return querying(t, s.queryTimeout());
    }

    /** Thrown where a query's session cannot be opened, carrying Save &amp; test's description of why. */
    public static DescribedFailure sessionUnavailable(Throwable error, CqlSettings s) {
        return described(connecting(error, s), error);
    }

    /** Thrown where a failure's description is already known (what the session's metadata says, for example). */
    public static DescribedFailure described(Failure failure, Throwable error) {
        return new DescribedFailure(failure, unwrap(error));
    }

    /** A failure whose description is already known (the session could not be opened, or its pools are empty). */
    public static final class DescribedFailure extends RuntimeException {
        private final transient Failure failure;

        DescribedFailure(Failure failure, Throwable cause) {
            super(failure.message(), cause, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /** The driver's "no node was available": every pool empty, no node even tried (so no per-node errors). */
    public static boolean noNodeAvailable(Throwable t) {
        return unwrap(t) instanceof AllNodesFailedException all && all.getAllErrors().isEmpty();
    }

    private static Throwable firstAuthenticationError(AllNodesFailedException e) {
        for (Map.Entry<?, List<Throwable>> entry : e.getAllErrors().entrySet()) {
            for (Throwable cause : entry.getValue()) {
                for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
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

    public static Failure keyspaceMissing(CqlSettings s, String verbose) {
        String ks = s.keyspace() == null ? "?" : CqlIdentifier.fromCql(s.keyspace()).asInternal();
        return new Failure(Kind.KEYSPACE, "Keyspace \"" + ks + "\" does not exist (jsonData.keyspace); create it"
                + " or correct the name (names are case-sensitive only when double-quoted)", verbose);
    }

    private static Failure allNodesFailed(AllNodesFailedException all, CqlSettings s, String verbose) {
        Map<Node, List<Throwable>> errors = all.getAllErrors();
        if (errors.isEmpty()) {
            // an open session whose nodes are all down or lost: nothing was tried for this request
            return new Failure(Kind.NO_HOST, "No host reachable: no node of the cluster is available right now (the"
                    + " driver keeps reconnecting to " + points(s) + " in the background); check that the nodes are up and"
                    + " that Grafana can reach them", verbose);
        }
        List<Throwable> firsts = new ArrayList<>();
        for (List<Throwable> l : errors.values()) {
            if (!l.isEmpty()) {
                firsts.add(l.get(0));
            }
        }
        for (Throwable e : firsts) {
            if (e instanceof AuthenticationException auth) {
                return authentication(auth, s, verbose);
            }
        }
        for (Throwable e : firsts) {
            SSLException ssl = tls(e);
            if (ssl != null) {
                return tlsFailure(ssl, s, verbose);
            }
        }
        // per contact point, the first error; for the ones the driver never reached, our own TCP check
        Map<String, String> perPoint = new LinkedHashMap<>();
        for (Map.Entry<Node, List<Throwable>> e : errors.entrySet()) {
            if (!e.getValue().isEmpty()) {
                perPoint.put(address(e.getKey().getEndPoint().resolve()), reason(e.getValue().get(0), e.getKey().getEndPoint().resolve(), s));
            }
        }
        for (CqlSettings.ContactPoint cp : s.contactPoints()) {
            InetSocketAddress a = new InetSocketAddress(cp.host(), cp.port());
            String key = a.isUnresolved() ? cp.toString() : address(a);
            if (!perPoint.containsKey(key)) {
                perPoint.put(key, a.isUnresolved() ? "unknown host" : "not tried");
            }
        }
        StringBuilder m = new StringBuilder("No host reachable: tried ");
        int i = 0;
        for (Map.Entry<String, String> e : perPoint.entrySet()) {
            m.append(i++ == 0 ? "" : "; ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        }
        m.append(". Check jsonData.contactPoints and jsonData.port, and that Grafana can reach the nodes");
        if (!s.tls().enabled() && perPoint.values().stream().anyMatch(r -> r.startsWith("the connection was closed"))) {
            m.append(" (a node that requires TLS closes plain connections: set jsonData.tlsEnabled)");
        }
        return new Failure(Kind.NO_HOST, m.toString(), verbose);
    }

    private static Failure authentication(AuthenticationException e, CqlSettings s, String verbose) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (msg.contains("no authenticator configured")) {
            return new Failure(Kind.AUTHENTICATION, "Authentication failed: the cluster requires a user name and password,"
                    + " and none is configured (set secureJsonData.username and secureJsonData.password)", verbose);
        }
        String who = s.username() == null ? "the configured user" : "user \"" + s.username() + "\"";
        return new Failure(Kind.AUTHENTICATION, "Authentication failed: the cluster rejected the user name and password of "
                + who + " (check secureJsonData.username and secureJsonData.password)", verbose);
    }

    private static Failure tlsFailure(SSLException e, CqlSettings s, String verbose) {
        String all = chain(e);
        String why;
        if (all.contains("NotSslRecordException") || all.contains("not an SSL/TLS record")
                || all.contains("Unsupported or unrecognized SSL message")) {
            why = "the node answered without TLS: it does not use TLS on this port (turn jsonData.tlsEnabled off, or use the"
                    + " node's TLS port)";
        } else if (all.contains("No subject alternative") || all.contains("No name matching") || all.contains("doesn't match any of the subject")) {
            why = "host name mismatch: the node's certificate is not issued for the name Grafana connected to (set"
                    + " jsonData.tlsServerName to a name in the certificate)";
        } else if (all.contains("PKIX path") || all.contains("unable to find valid certification path")
                || has(e, CertificateException.class)) {
            why = "certificate not trusted: the node's certificate is not signed by secureJsonData.tlsCACert"
                    + (s.tls().caCert() == null ? " (none given: the JVM's default CAs were used)" : "");
        } else if (all.contains("expired") || all.contains("NotAfter")) {
            why = "a certificate has expired";
        } else if (all.contains("bad_certificate") || all.contains("certificate_required") || all.contains("certificate_unknown")) {
            why = "the node rejected the client certificate (check secureJsonData.tlsClientCert and tlsClientKey)";
        } else {
            why = rootMessage(e);
        }
        return new Failure(Kind.TLS, "TLS handshake failed with " + points(s) + ": " + why, verbose);
    }

    /** Why one contact point failed, in a few words. */
    private static String reason(Throwable e, SocketAddress address, CqlSettings s) {
        if (has(e, ConnectTimeoutException.class) || has(e, SocketTimeoutException.class)) {
            return "no answer within " + Seconds.text(s.connectTimeout()) + ": jsonData.connectTimeoutSeconds";
        }
        String root = rootMessage(e);
        if (root.contains("timed out") || root.contains("Timeout")) {
            return "the node did not answer the CQL handshake within " + Seconds.text(s.connectTimeout()) + ": jsonData.connectTimeoutSeconds";
        }
        if (has(e, ConnectException.class) && !root.isEmpty()) {
            return root.contains("refused") ? "connection refused" : root;
        }
        if (has(e, ClosedChannelException.class) || has(e, ClosedConnectionException.class)) {
            // the driver reports a refused connection as a closed channel: ask the socket ourselves
            return address instanceof InetSocketAddress inet ? tcpCheck(inet, s.connectTimeout()) : "the connection was closed";
        }
        return root;
    }

    /** A plain TCP connect, to tell "refused" and "no route" from "closed during the handshake". */
    static String tcpCheck(InetSocketAddress address, Duration connectTimeout) {
        int timeout = (int) Math.min(1000, connectTimeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(address, timeout);
            return "the connection was closed during the CQL handshake (is this a CQL port?)";
        } catch (ConnectException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            return m.contains("refused") ? "connection refused" : m.isEmpty() ? "cannot connect" : m.toLowerCase();
        } catch (NoRouteToHostException e) {
            return "no route to host";
        } catch (SocketTimeoutException e) {
            return "no answer within " + Seconds.text(Duration.ofMillis(timeout));
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static String points(CqlSettings s) {
        List<String> l = new ArrayList<>();
        for (CqlSettings.ContactPoint cp : s.contactPoints()) {
            l.add(cp.toString());
        }
        return String.join(", ", l);
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    private static SSLException tls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException ssl) {
                return ssl;
            }
            if (c instanceof AllNodesFailedException all) {
                for (List<Throwable> l : all.getAllErrors().values()) {
                    for (Throwable e : l) {
                        SSLException inner = tls(e);
                        if (inner != null) {
                            return inner;
                        }
                    }
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }

    /** "Type: message" of each exception in the chain (and each node's errors), at most ~4000 characters. */
    public static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        append(b, t, 0);
        return b.length() > 4000 ? b.substring(0, 3997) + "..." : b.toString();
    }

    private static void append(StringBuilder b, Throwable t, int depth) {
        for (Throwable c = t; c != null && depth < 12; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (b.length() > 0) {
                b.append("\n").append("  ".repeat(Math.min(depth, 6)));
            }
            b.append(c.getClass().getName()).append(": ").append(c.getMessage());
            if (c instanceof AllNodesFailedException all) {
                for (Map.Entry<Node, List<Throwable>> e : all.getAllErrors().entrySet()) {
                    for (Throwable err : e.getValue()) {
                        b.append("\n  node ").append(e.getKey().getEndPoint()).append(":");
                        append(b, err, depth + 2);
                    }
                }
            }
        }
    }
}
