package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.TimeRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The driver's failure paths that need no node, as the query runner answers them: every one a response, never an exception. */
class CqlQueriesTest {

    static CqlSettings settings() {
        return new CqlSettings(List.of(new CqlSettings.ContactPoint("127.0.0.1", 9042)), null, null, com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_ONE, Duration.ofSeconds(5), Duration.ofSeconds(30), 5000, 1000, true,
                CqlSettings.Tls.OFF, null, null);
    }

    static CqlInstance instance(Supplier<CqlSession> session) {
        return new CqlInstance() {
            @Override
            public CqlSettings settings() {
                return CqlQueriesTest.settings();
            }

            @Override
            public CqlSession session() {
                return session.get();
            }

            @Override
            public void close() {
            }
        };
    }

    static DataResponse run(CqlInstance instance, String json, String queryType, RequestContext rc) {
        DataQuery q = new DataQuery("A", 100, 60_000, new TimeRange(1000, 2000), json.getBytes(StandardCharsets.UTF_8), queryType);
        return TestNode.answer(new CqlQueries(), instance, q, PluginContext.forDataSource(null), rc);
    }

    static DataResponse run(CqlInstance instance, String json) {
        return run(instance, json, "", RequestContext.NONE);
    }

    static final CqlInstance NO_SESSION = instance(() -> {
        throw new AssertionError("no session must be opened");
    });

    static void assertError(int status, String source, String message, DataResponse r) {
        assertEquals(status, r.status());
        assertEquals(source, r.errorSource().wire());
        assertEquals(message, r.error());
    }

    @Test
    void selfTestTouchesNoDatabase() {
        DataResponse r = run(NO_SESSION, "{}", "selftest", RequestContext.NONE);
        assertEquals(200, r.status());
        assertNull(r.error());
        assertEquals("selftest", r.frames().get(0).name());
        r.closeFrames();
    }

    @Test
    void modelAndMacroErrorsComeBeforeAnySession() {
        DataResponse bad = run(NO_SESSION, "{");
        assertEquals(400, bad.status());
        assertEquals("downstream", bad.errorSource().wire());
        assertEquals(true, bad.error().startsWith("the query is not valid JSON: Unexpected end-of-input"), bad.error());
        DataResponse r = run(NO_SESSION, "{\"cql\":\"SELECT * FROM t WHERE $__timeFilter\"}");
        assertError(400, "downstream", "macro $__timeFilter: missing parenthesis; write $__timeFilter(column)", r);
        assertEquals(List.of(), r.frames());
    }

    @Test
    void readOnlyRefusalShowsTheExpandedQuery() {
        DataResponse r = run(NO_SESSION, "{\"cql\":\"DELETE FROM t WHERE ts < $__timeFrom\"}");
        assertError(400, "downstream", "DELETE refused: the data source is read-only (setting readOnly); only SELECT, DESCRIBE and LIST statements run", r);
        assertEquals("DELETE FROM t WHERE ts < 1000", r.frames().get(0).meta().executedQueryString());
        assertEquals(0, r.frames().get(0).fields().size());
    }

    @Test
    void sessionFailures() {
        DataResponse r = run(instance(() -> {
            throw new NoNodeAvailableException();
        }), "{\"cql\":\"SELECT * FROM t\"}");
        // a session that cannot be opened: the query says what Save & test says
        assertError(502, "downstream", "No host reachable: no node of the cluster is available right now (the driver keeps"
                + " reconnecting to 127.0.0.1:9042 in the background); check that the nodes are up and that Grafana can reach them", r);
        assertEquals("SELECT * FROM t", r.frames().get(0).meta().executedQueryString());

        r = run(instance(() -> {
            throw AllNodesFailedException.fromErrors(List.of(Map.entry(io.opencql.cql.internal.failure.FailureTest.node(),
                    new AuthenticationException(null, "Provided username cassandra and/or password are incorrect"))));
        }), "{\"cql\":\"SELECT * FROM t\"}");
        assertError(401, "downstream", "Authentication failed: the cluster rejected the user name and password of the configured"
                + " user (check secureJsonData.username and secureJsonData.password)", r);

        r = run(instance(() -> {
            throw new java.util.concurrent.CancellationException("interrupted while waiting for the session to open");
        }), "{\"cql\":\"SELECT * FROM t\"}");
        assertError(499, "downstream", "query cancelled", r);

        r = run(instance(() -> {
            throw new IllegalStateException("boom");
        }), "{\"cql\":\"SELECT * FROM t\"}");
        assertError(500, "plugin", "internal error: IllegalStateException: boom", r);
    }

    @Test
    void invalidSettings() {
        CqlInstance bad = new CqlInstance() {
            @Override
            public CqlSettings settings() throws InvalidSettingsException {
                throw new InvalidSettingsException("contactPoints", "contactPoints: 'a:b' has an invalid port");
            }

            @Override
            public CqlSession session() throws InvalidSettingsException {
                throw new InvalidSettingsException("contactPoints", "contactPoints: 'a:b' has an invalid port");
            }

            @Override
            public void close() {
            }
        };
        assertError(400, "downstream", "invalid data source settings (contactPoints): contactPoints: 'a:b' has an invalid port",
                run(bad, "{\"cql\":\"SELECT * FROM t\"}"));
    }

    @Test
    void alreadyCancelledRunsNothing() {
        DataResponse r = run(instance(() -> null), "{\"cql\":\"SELECT * FROM t\"}", "", new RequestContext() {
            @Override
            public boolean isCancelled() {
                return true;
            }

            @Override
            public void onCancel(Runnable listener) {
                listener.run();
            }
        });
        assertError(499, "downstream", "query cancelled", r);
    }
}
