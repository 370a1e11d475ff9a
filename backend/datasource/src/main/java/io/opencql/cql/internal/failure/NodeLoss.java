package io.opencql.cql.internal.failure;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.metadata.Node;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Says which node a query lost its connection to. The driver reports it as "Unexpected error on channel" (netty's
 * words for a connection reset), which names neither the node nor what happened; an operator needs both.
 */
final class NodeLoss {

    private NodeLoss() {
    }

    /**
     * "lost the connection to node 127.0.0.3:9042 during the query (...)" when every node tried lost its connection
     * mid-request (a read retried on other replicas fails only when all of them did), or when a request that is not
     * retried (a write) lost its connection; null for any other failure.
     */
    public static String describe(Throwable t) {
        if (t instanceof ClosedConnectionException || t instanceof HeartbeatException) {
            return "lost the connection to the node during the query (the node went down, restarted or closed the connection;"
                    + " the driver reconnects on its own): " + t.getMessage();
        }
        if (!(t instanceof AllNodesFailedException all) || all.getAllErrors().isEmpty()) {
            return null;
        }
        List<String> nodes = new ArrayList<>();
        for (Map.Entry<Node, List<Throwable>> e : all.getAllErrors().entrySet()) {
            boolean lost = !e.getValue().isEmpty();
            for (Throwable cause : e.getValue()) {
                lost &= cause instanceof ClosedConnectionException || cause instanceof HeartbeatException;
            }
            if (!lost) {
                return null;
            }
            nodes.add(address(e.getKey()));
        }
        return "lost the connection to node" + (nodes.size() > 1 ? "s " : " ") + String.join(", ", nodes) + " during the query (the node"
                + (nodes.size() > 1 ? "s" : "") + " went down, restarted or closed the connection; the driver reconnects on its own and"
                + " retries a read on another replica when one is up)";
    }

    /** "127.0.0.3:9042", not the driver's "/127.0.0.3:9042". */
    static String address(Node node) {
        SocketAddress a = node.getEndPoint().resolve();
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
