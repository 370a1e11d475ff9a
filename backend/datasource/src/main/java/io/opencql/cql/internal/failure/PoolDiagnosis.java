package io.opencql.cql.internal.failure;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.grafana.backend.ErrorSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why an open session has no connection to run a query on. The driver says only "No node was available to execute
 * the query": its connection pools failed in the background, and the reason is in its log at best. Measured: a node
 * that came back without the data source's keyspace refused every pool connection (each starts with {@code USE
 * keyspace}) for minutes while the query error pointed at the network. The session's own metadata (kept current by
 * its control connection, which needs no keyspace) tells the common causes apart.
 */
public final class PoolDiagnosis {

    private static final Logger LOG = LoggerFactory.getLogger(PoolDiagnosis.class);
    /** the last message logged per session: one log line per cause, not one per failed panel */
    private static final Map<String, String> LOGGED = new ConcurrentHashMap<>();

    /**
     * @param keyspaceMissing the status is then 400 (the user's setting), else 502 (the cluster)
     * @param noneUp          every node of the session is down (as far as the session knows)
     */
    public record Cause(boolean keyspaceMissing, boolean noneUp, String message) {
        /** As a failure: {@code prefix} + the message. */
        public Failure failure(String prefix, String verboseMessage) {
            Failure.Kind kind = keyspaceMissing ? Failure.Kind.KEYSPACE : Failure.Kind.NO_HOST;
            return new Failure(kind, kind.status(), ErrorSource.DOWNSTREAM, prefix + message, verboseMessage);
        }
    }

    private PoolDiagnosis() {
    }

    /** The cause, logged once per session and cause; null when the metadata does not tell. */
    public static Cause explain(CqlSession session, CqlSettings s) {
        Cause c = cause(session, s);
        if (c != null && !c.message().equals(LOGGED.put(session.getName(), c.message()))) {
            LOG.atWarn().addKeyValue("session", session.getName()).log("session {}: {}", session.getName(), c.message());
        }
        return c;
    }

    static Cause cause(CqlSession session, CqlSettings s) {
        if (s.keyspace() != null) {
            CqlIdentifier ks = CqlIdentifier.fromCql(s.keyspace());
            if (session.getMetadata().getKeyspace(ks).isEmpty()) {
                return new Cause(true, false, Failure.keyspaceMissing(s, "").message() + "; the nodes refuse the data source's"
                        + " connections, which all start with USE " + ks.asCql(true));
            }
        }
        Collection<Node> nodes = session.getMetadata().getNodes().values();
        List<String> down = new ArrayList<>();
        List<String> upWithoutConnections = new ArrayList<>();
        for (Node n : nodes) {
            if (n.getState() == NodeState.UP && n.getOpenConnections() == 0) {
                upWithoutConnections.add(NodeLoss.address(n));
            } else if (n.getState() != NodeState.UP) {
                down.add(NodeLoss.address(n) + " (" + n.getState().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
            }
        }
        if (!nodes.isEmpty() && down.size() == nodes.size()) {
            return new Cause(false, true, "no node of the cluster is up: " + String.join(", ", down) + "; the data source reconnects every"
                    + " few seconds once one is back");
        }
        if (!upWithoutConnections.isEmpty()) {
            return new Cause(false, false, "the data source could not open connections to " + String.join(", ", upWithoutConnections)
                    + (down.isEmpty() ? "" : " (down: " + String.join(", ", down) + ")") + ": the nodes are up but refuse or drop new"
                    + " connections (authentication changed, too many connections, a node still starting); the plugin's log has the"
                    + " driver's reason");
        }
        return null;
    }

    /** The answer of the query that found its session blind and replaced it with one that opened. */
    public static Failure reopened(String verboseMessage) {
        return new Failure(Failure.Kind.NO_HOST, Failure.Kind.NO_HOST.status(), ErrorSource.DOWNSTREAM, "no node could run the"
                + " query: the connections to the cluster were lost and are open again; run the query again", verboseMessage);
    }

    /**
     * Whether a node this session holds down accepts TCP connections on its CQL port (within 500 ms). Then the node
     * is back and only this session cannot see it: the driver marks a node up when a pool connection opens, and its
     * control connection reconnects only through nodes it holds up, so a session whose pool connections are refused
     * (its keyspace was dropped while the nodes were down) stays blind for good and must be replaced.
     */
    public static boolean aDownNodeAnswers(CqlSession session) {
        for (Node n : session.getMetadata().getNodes().values()) {
            if (n.getState() == NodeState.UP) {
                continue;
            }
            try (Socket socket = new Socket()) {
                if (n.getEndPoint().resolve() instanceof InetSocketAddress address && !address.isUnresolved()) {
                    socket.connect(address, 500);
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // not this one
            }
        }
        return false;
    }
}
