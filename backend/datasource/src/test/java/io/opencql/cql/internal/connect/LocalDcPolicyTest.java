package io.opencql.cql.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.metadata.EndPoint;
import com.datastax.oss.driver.api.core.metadata.Node;
import io.opencql.cql.internal.kernel.DatacenterInferenceException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rule {@link LocalDcPolicy} applies as a session opens ({@link SessionFactory#inferLocalDc}), on nodes as the driver reports them. */
class LocalDcPolicyTest {

    /** A node as the driver's metadata shows it: only what the rule reads. */
    private static Node node(String address, int port, String dc, String broadcastRpc) {
        InetSocketAddress at = new InetSocketAddress(address, port);
        EndPoint endPoint = (EndPoint) Proxy.newProxyInstance(EndPoint.class.getClassLoader(), new Class<?>[] {EndPoint.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "resolve" -> at;
                    case "toString" -> at.toString();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (Node) Proxy.newProxyInstance(Node.class.getClassLoader(), new Class<?>[] {Node.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getEndPoint" -> endPoint;
                    case "getDatacenter" -> dc;
                    case "getBroadcastRpcAddress" -> Optional.ofNullable(broadcastRpc).map(a -> new InetSocketAddress(a, port));
                    case "toString" -> "node " + at + " in " + dc;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static InetSocketAddress point(String address, int port) {
        return new InetSocketAddress(address, port);
    }

    @Test
    void theFirstContactPointTheClusterKnowsChoosesTheDc() {
        List<Node> nodes = List.of(node("10.0.0.1", 9042, "east", null), node("10.0.1.1", 9042, "west", null));
        assertEquals("west", SessionFactory.inferLocalDc(nodes, List.of(point("10.0.1.1", 9042), point("10.0.0.1", 9042))));
        assertEquals("east", SessionFactory.inferLocalDc(nodes, List.of(point("10.0.0.1", 9042), point("10.0.1.1", 9042))));
        // a contact point the cluster does not report (another port, another address) is passed over
        assertEquals("east", SessionFactory.inferLocalDc(nodes, List.of(point("10.0.1.1", 9043), point("10.9.9.9", 9042),
                point("10.0.0.1", 9042))));
        // known by its broadcast RPC address (the address clients are told), not the one the driver connected to
        List<Node> translated = List.of(node("192.168.0.1", 9042, "east", "10.0.0.1"), node("192.168.1.1", 9042, "west", "10.0.1.1"));
        assertEquals("west", SessionFactory.inferLocalDc(translated, List.of(point("10.0.1.1", 9042))));
    }

    @Test
    void noKnownContactPointMeansTheOnlyDcOrAnError() {
        List<Node> one = List.of(node("10.0.0.1", 9042, "dc1", null), node("10.0.0.2", 9042, "dc1", null));
        assertEquals("dc1", SessionFactory.inferLocalDc(one, List.of(point("172.16.0.1", 9042)))); // behind a proxy
        List<Node> two = List.of(node("10.0.0.1", 9042, "east", null), node("10.0.1.1", 9042, "west", null));
        DatacenterInferenceException e = assertThrows(DatacenterInferenceException.class,
                () -> SessionFactory.inferLocalDc(two, List.of(point("172.16.0.1", 9042))));
        assertTrue(e.getMessage().contains("datacenters [east, west]") && e.getMessage().contains("jsonData.localDatacenter"),
                e.getMessage());
    }

    @Test
    void contactPointsTravelAsAddressLiterals() {
        for (InetSocketAddress p : List.of(point("127.0.0.2", 9042), point("::1", 19042), point("fe80::1%1", 9042))) {
            assertEquals(p, LocalDcPolicy.decode(LocalDcPolicy.encode(p)), p.toString());
        }
    }
}
