package io.opencql.cql.internal.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.InvalidConfigurationInQueryException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.internal.kernel.QueryException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

public class FailureTest {

    /** A driver node that only knows its name (the failures only print it). */
    public static Node node() {
        return (Node) Proxy.newProxyInstance(Node.class.getClassLoader(), new Class<?>[] {Node.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "node1";
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    static final Duration T = Duration.ofSeconds(30);

    static void assertMapped(int status, String source, String message, Throwable t) {
        Failure m = Failure.querying(t, T);
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
        Node node = node();
        AllNodesFailedException all = AllNodesFailedException.fromErrors(List.of(Map.entry(node,
                new AuthenticationException(null, "Provided username cassandra and/or password are incorrect"))));
        Failure m = Failure.querying(all, T);
        assertEquals(401, m.status());
        assertEquals("authentication failed: Authentication error on node null: Provided username cassandra and/or password are incorrect",
                m.message());
    }

    @Test
    void allNodesFailedForAnotherReasonIs502() {
        Failure m = Failure.querying(AllNodesFailedException.fromErrors(List.of()), T);
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
        Failure m = Failure.querying(new ReadTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, false), T);
        assertEquals(504, m.status());
        assertEquals(true, m.message().contains("queryTimeoutSeconds"), m.message());
    }

    @Test
    void aRequestPastTheSessionsBoundIs503AndSaysWhatToDo() {
        assertMapped(503, "downstream", "too many requests at once on this data source: The session has reached its maximum"
                + " capacity (concurrent requests: 512, queue size: 4096); this one was refused rather than queued without end."
                + " Spread the dashboards' refreshes, or lower partitionReads",
                new CompletionException(new RequestThrottlingException(
                        "The session has reached its maximum capacity (concurrent requests: 512, queue size: 4096)")));
    }

    @Test
    void cancelledIs499AndWrappersAreUnwrapped() {
        assertMapped(499, "downstream", "query cancelled", new CancellationException());
        assertMapped(400, "downstream", "x", new CompletionException(new SyntaxError(null, "x")));
    }

    @Test
    void oneUnwrapForEveryWrapper() {
        SyntaxError cause = new SyntaxError(null, "x");
        assertSame(cause, Failure.unwrap(new java.util.concurrent.ExecutionException(new CompletionException(
                new com.datastax.oss.driver.api.core.DriverExecutionException(cause)))));
    }

    @Test
    void cancelledIs499WhereverItHappens() {
        CqlSettings s = new CqlSettings(List.of(new CqlSettings.ContactPoint("db1", 9042)), null, null, com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_ONE,
                Duration.ofSeconds(5), T, 5000, 1000, true, CqlSettings.Tls.OFF, null, null);
        for (Failure f : List.of(Failure.cancelled(), Failure.querying(new CancellationException(), T),
                Failure.connecting(new java.util.concurrent.ExecutionException(new CancellationException()), s))) {
            assertEquals(Failure.Kind.CANCELLED, f.kind());
            assertEquals(499, f.status());
            assertEquals("downstream", f.source().wire());
            assertEquals("query cancelled", f.message());
        }
    }

    @Test
    void connectingFailuresCarryTheirStatusAndSaveAndTestsWords() {
        CqlSettings s = new CqlSettings(List.of(new CqlSettings.ContactPoint("db1", 9042)), null, null, com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_ONE,
                Duration.ofSeconds(5), T, 5000, 1000, true, CqlSettings.Tls.OFF, "bob", "secret");
        Failure auth = Failure.connecting(AllNodesFailedException.fromErrors(List.of(Map.entry(node(),
                new AuthenticationException(null, "Provided username bob and/or password are incorrect")))), s);
        assertEquals(Failure.Kind.AUTHENTICATION, auth.kind());
        assertEquals(401, auth.status());
        assertEquals("Authentication failed: the cluster rejected the user name and password of user \"bob\" (check"
                + " secureJsonData.username and secureJsonData.password)", auth.message());
        assertFalse(auth.message().contains("secret") || auth.verboseMessage().contains("secret"));

        Failure dc = Failure.connecting(new io.opencql.cql.internal.kernel.DatacenterInferenceException("cannot infer"), s);
        assertEquals(Failure.Kind.SETTINGS, dc.kind());
        assertEquals(400, dc.status());
        assertEquals("Cannot choose a local datacenter: cannot infer", dc.message());

        Failure settings = Failure.connecting(new InvalidSettingsException("port", "jsonData.port must be a number"), s);
        assertEquals(400, settings.status());
        assertEquals("Invalid settings: jsonData.port must be a number", settings.message());

        // a fault of the plugin while connecting is still the plugin's: 500
        Failure bug = Failure.connecting(new IllegalStateException("boom"), s);
        assertEquals(500, bug.status());
        assertEquals("plugin", bug.source().wire());

        // a query whose session cannot be opened answers with exactly this description
        assertEquals(auth, Failure.querying(new CompletionException(Failure.sessionUnavailable(
                AllNodesFailedException.fromErrors(List.of(Map.entry(node(),
                        new AuthenticationException(null, "Provided username bob and/or password are incorrect")))), s)), T));
    }

    @Test
    void anythingElseIs500Plugin() {
        assertMapped(500, "plugin", "internal error: IllegalStateException: oops", new IllegalStateException("oops"));
        assertMapped(500, "plugin", "internal error: NullPointerException: NullPointerException", new NullPointerException());
    }

    @Test
    void anAuthorisationCheckThatCouldNotReadItsReplicasIsAvailabilityNotPermission() {
        String node = "Unable to perform authorization of super-user permission: Cannot achieve consistency level LOCAL_QUORUM";
        Failure m = Failure.querying(new UnauthorizedException(null, node), T);
        assertEquals(502, m.status());
        assertEquals("downstream", m.source().wire());
        assertEquals("the cluster could not check this user's permissions: too few replicas of its system_auth keyspace are up to"
                + " read them (not a missing permission; bring the nodes back, and give system_auth a replication factor that"
                + " survives the loss of a node): " + node, m.message());
        assertEquals(403, Failure.querying(new UnauthorizedException(null, "User bob has no SELECT permission"), T).status());
    }

    @Test
    void aLostConnectionSaysSo() {
        Failure m = Failure.querying(new com.datastax.oss.driver.api.core.connection.ClosedConnectionException(
                "Unexpected error on channel"), T);
        assertEquals(502, m.status());
        assertEquals("lost the connection to the node during the query (the node went down, restarted or closed the connection;"
                + " the driver reconnects on its own): Unexpected error on channel", m.message());
    }
}
