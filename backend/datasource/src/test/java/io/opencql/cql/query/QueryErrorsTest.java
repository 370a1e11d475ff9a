package io.opencql.cql.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.servererrors.InvalidConfigurationInQueryException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.metadata.Node;
import io.opencql.cql.InvalidSettingsException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class QueryErrorsTest {

    static final Duration T = Duration.ofSeconds(30);

    static void assertMapped(int status, String source, String message, Throwable t) {
        QueryErrors.Mapped m = QueryErrors.map(t, T);
        assertEquals(status, m.status(), m.message());
        assertEquals(source, m.source().wire());
        assertEquals(message, m.message());
    }

    @Test
    void userAndQueryErrorsAre400Downstream() {
        assertMapped(400, "downstream", "line 1:7 no viable alternative", new SyntaxError(null, "line 1:7 no viable alternative"));
        assertMapped(400, "downstream", "table nope does not exist", new InvalidQueryException(null, "table nope does not exist"));
        assertMapped(400, "downstream", "bad", new InvalidConfigurationInQueryException(null, "bad"));
        assertMapped(400, "downstream", "unknown macro $__x", QueryException.badRequest("unknown macro $__x"));
        assertMapped(400, "downstream", "invalid data source settings (pageSize): pageSize must be positive",
                new InvalidSettingsException("pageSize", "pageSize must be positive"));
    }

    @Test
    void authErrors() {
        assertMapped(403, "downstream", "not authorised: User bob has no SELECT permission",
                new UnauthorizedException(null, "User bob has no SELECT permission"));
        assertMapped(401, "downstream", "authentication failed: Authentication error on node null: bad password",
                new AuthenticationException(null, "bad password"));
        Node node = (Node) Proxy.newProxyInstance(Node.class.getClassLoader(), new Class<?>[] {Node.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "node1";
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        AllNodesFailedException all = AllNodesFailedException.fromErrors(List.of(Map.entry(node,
                new AuthenticationException(null, "Provided username cassandra and/or password are incorrect"))));
        QueryErrors.Mapped m = QueryErrors.map(all, T);
        assertEquals(401, m.status());
        assertEquals("authentication failed: Authentication error on node null: Provided username cassandra and/or password are incorrect",
                m.message());
    }

    @Test
    void allNodesFailedForAnotherReasonIs502() {
        QueryErrors.Mapped m = QueryErrors.map(AllNodesFailedException.fromErrors(List.of()), T);
        assertEquals(502, m.status());
        assertEquals("downstream", m.source().wire());
    }

    @Test
    void unreachableIs502AndTimeoutsAre504() {
        assertMapped(502, "downstream", "no node could run the query: No node was available to execute the query",
                new NoNodeAvailableException());
        assertMapped(502, "downstream",
                "Not enough replicas available for query at consistency QUORUM (2 required but only 1 alive)",
                new UnavailableException(null, DefaultConsistencyLevel.QUORUM, 2, 1));
        assertMapped(502, "downstream", "null is overloaded: busy", new OverloadedException(null, "busy"));
        assertMapped(504, "downstream", "query timed out after 30 s (setting queryTimeoutSeconds): Query timed out after PT30S",
                new DriverTimeoutException("Query timed out after PT30S"));
        QueryErrors.Mapped m = QueryErrors.map(new ReadTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, false), T);
        assertEquals(504, m.status());
        assertEquals(true, m.message().contains("queryTimeoutSeconds"), m.message());
    }

    @Test
    void cancelledIs499AndWrappersAreUnwrapped() {
        assertMapped(499, "downstream", "query cancelled", new CancellationException());
        assertMapped(400, "downstream", "x", new CompletionException(new SyntaxError(null, "x")));
    }

    @Test
    void anythingElseIs500Plugin() {
        assertMapped(500, "plugin", "internal error: IllegalStateException: oops", new IllegalStateException("oops"));
        assertMapped(500, "plugin", "internal error: NullPointerException: NullPointerException", new NullPointerException());
    }

    @Test
    void anAuthorisationCheckThatCouldNotReadItsReplicasIsAvailabilityNotPermission() {
        String node = "Unable to perform authorization of super-user permission: Cannot achieve consistency level LOCAL_QUORUM";
        QueryErrors.Mapped m = QueryErrors.map(new UnauthorizedException(null, node), T);
        assertEquals(502, m.status());
        assertEquals("downstream", m.source().wire());
        assertEquals("the cluster could not check this user's permissions: too few replicas of its system_auth keyspace are up to"
                + " read them (not a missing permission; bring the nodes back, and give system_auth a replication factor that"
                + " survives the loss of a node): " + node, m.message());
        assertEquals(403, QueryErrors.map(new UnauthorizedException(null, "User bob has no SELECT permission"), T).status());
    }

    @Test
    void aLostConnectionSaysSo() {
        QueryErrors.Mapped m = QueryErrors.map(new com.datastax.oss.driver.api.core.connection.ClosedConnectionException(
                "Unexpected error on channel"), T);
        assertEquals(502, m.status());
        assertEquals("lost the connection to the node during the query (the node went down, restarted or closed the connection;"
                + " the driver reconnects on its own): Unexpected error on channel", m.message());
    }
}
