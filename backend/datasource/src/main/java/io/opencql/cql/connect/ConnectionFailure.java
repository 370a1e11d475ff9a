package io.opencql.cql.connect;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.InvalidKeyspaceException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import io.opencql.cql.CqlSettings;
import io.opencql.cql.InvalidSettingsException;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Why a session could not be opened (or a health query failed), in words an operator can act on: which of
 * authentication, reachability, TLS, keyspace, timeout or settings it was, and what to change. The verbose
 * form is the driver's error chain. Neither ever contains a password: the driver's messages name the user at
 * most, and PEM text never reaches an exception message.
 */
public record ConnectionFailure(Kind kind, String message, String verboseMessage) {

    public enum Kind { SETTINGS, AUTHENTICATION, NO_HOST, TLS, KEYSPACE, TIMEOUT, OTHER }

    /** Describes {@code error}; for connection failures a plain TCP connect to each contact point says why. */
    public static ConnectionFailure of(Throwable error, CqlSettings s) {
        Throwable t = unwrap(error);
        String verbose = chain(t);
        if (t instanceof InvalidSettingsException e) {
            return new ConnectionFailure(Kind.SETTINGS, "Invalid settings: " + e.getMessage(), verbose);
        }
        if (t instanceof SessionOpenTimeoutException e) {
            return new ConnectionFailure(Kind.TIMEOUT, "Timed out: " + e.getMessage() + " while connecting to "
                    + points(s) + "; raise jsonData.connectTimeoutSeconds if the cluster is slow to answer", verbose);
        }
        if (t instanceof DriverTimeoutException) {
            return new ConnectionFailure(Kind.TIMEOUT, "Timed out: the node did not answer within "
                    + Seconds.text(s.queryTimeout()) + "; raise jsonData.queryTimeoutSeconds if it is busy", verbose);
        }
        if (t instanceof InvalidKeyspaceException) {
            return keyspaceMissing(s, verbose);
        }
        if (t instanceof UnresolvedContactPointsException e) {
            return new ConnectionFailure(Kind.NO_HOST, "No host reachable: tried " + String.join(", ", e.contactPoints())
                    + " (unknown host: the name does not resolve); check jsonData.contactPoints", verbose);
        }
        if (t instanceof UnauthorizedException && AuthAvailability.isAvailabilityFailure(t)) {
            // never a permission hint for an availability problem
            return new ConnectionFailure(Kind.NO_HOST, "Unavailable: " + AuthAvailability.message(t), verbose);
        }
        if (t instanceof UnauthorizedException) {
            return new ConnectionFailure(Kind.AUTHENTICATION, "Not authorized: " + t.getMessage()
                    + " (grant the user SELECT on the keyspaces Grafana reads)", verbose);
        }
        if (t instanceof AllNodesFailedException all) {
            return allNodesFailed(all, s, verbose);
        }
        if (tls(t) != null) {
            return tlsFailure(tls(t), s, verbose);
        }
        if (t instanceof IllegalStateException && t.getMessage() != null && t.getMessage().contains("local datacenter")) {
            return new ConnectionFailure(Kind.SETTINGS, "Cannot choose a local datacenter: " + t.getMessage(), verbose);
        }
        return new ConnectionFailure(Kind.OTHER, "Cannot connect to " + points(s) + ": " + rootMessage(t), verbose);
    }

    static ConnectionFailure keyspaceMissing(CqlSettings s, String verbose) {
        String ks = s.keyspace() == null ? "?" : CqlIdentifier.fromCql(s.keyspace()).asInternal();
        return new ConnectionFailure(Kind.KEYSPACE, "Keyspace \"" + ks + "\" does not exist (jsonData.keyspace); create it"
                + " or correct the name (names are case-sensitive only when double-quoted)", verbose);
    }

    private static ConnectionFailure allNodesFailed(AllNodesFailedException all, CqlSettings s, String verbose) {
        Map<Node, List<Throwable>> errors = all.getAllErrors();
        if (errors.isEmpty()) {
            // an open session whose nodes are all down or lost: nothing was tried for this request
            return new ConnectionFailure(Kind.NO_HOST, "No host reachable: no node of the cluster is available right now (the"
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
        return new ConnectionFailure(Kind.NO_HOST, m.toString(), verbose);
    }

    private static ConnectionFailure authentication(AuthenticationException e, CqlSettings s, String verbose) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (msg.contains("no authenticator configured")) {
            return new ConnectionFailure(Kind.AUTHENTICATION, "Authentication failed: the cluster requires a user name and password,"
                    + " and none is configured (set secureJsonData.username and secureJsonData.password)", verbose);
        }
        String who = s.username() == null ? "the configured user" : "user \"" + s.username() + "\"";
        return new ConnectionFailure(Kind.AUTHENTICATION, "Authentication failed: the cluster rejected the user name and password of "
                + who + " (check secureJsonData.username and secureJsonData.password)", verbose);
    }

    private static ConnectionFailure tlsFailure(SSLException e, CqlSettings s, String verbose) {
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
        return new ConnectionFailure(Kind.TLS, "TLS handshake failed with " + points(s) + ": " + why, verbose);
    }

    /** Why one contact point failed, in a few words. */
    private static String reason(Throwable e, SocketAddress address, CqlSettings s) {
        if (hasNamed(e, "ConnectTimeoutException") || has(e, SocketTimeoutException.class)) { // netty's, by name
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

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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

    private static boolean hasNamed(Throwable t, String simpleName) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getClass().getSimpleName().equals(simpleName)) {
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
    static String chain(Throwable t) {
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
