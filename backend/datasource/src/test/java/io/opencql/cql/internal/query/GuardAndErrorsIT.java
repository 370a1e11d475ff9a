package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.Frame;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read-only guard, and every kind of failure: its status, error source and the node's message. */
class GuardAndErrorsIT {

    @BeforeAll
    static void data() {
        CqlSession s = TestNode.session();
        s.execute("DROP TABLE IF EXISTS guarded");
        s.execute("CREATE TABLE guarded (k int PRIMARY KEY, v text)");
        s.execute("INSERT INTO guarded (k, v) VALUES (1, 'one')");
    }

    static DataResponse run(CqlInstance instance, String cql) {
        return TestNode.run(instance, TestNode.query("A", TestNode.model(cql, null), 0, 1));
    }

    static DataResponse run(String cql) {
        return run(TestNode.instance(TestNode.settings()), cql);
    }

    static void assertError(int status, String source, String message, DataResponse r) {
        assertEquals(status, r.status(), r.error());
        assertEquals(source, r.errorSource().wire());
        assertEquals(message, r.error());
    }

    static long count() {
        return TestNode.session().execute("SELECT count(*) FROM guarded").one().getLong(0);
    }

    @Test
    void readOnlyRefusesWritesBeforeTheyReachTheNode() {
        DataResponse r = run("INSERT INTO guarded (k, v) VALUES (2, 'two')");
        assertError(400, "downstream",
                "INSERT refused: the data source is read-only (setting readOnly); only SELECT, DESCRIBE and LIST statements run", r);
        assertEquals(1, count());
        r = run("/* harmless? */ DROP TABLE guarded");
        assertError(400, "downstream",
                "DROP refused: the data source is read-only (setting readOnly); only SELECT, DESCRIBE and LIST statements run", r);
        assertError(400, "downstream", "more than one statement refused: a query runs one CQL statement (found ';' at offset 21 followed by more text)",
                run("SELECT * FROM guarded; DELETE FROM guarded WHERE k = 1"));
        assertEquals(1, count());
    }

    @Test
    void writesRunWhenNotReadOnly() {
        CqlSettings rw = TestNode.settings(false, 5000, 1000, Setting.QUERY_TIMEOUT.defaultValue(java.time.Duration.class));
        DataResponse r = run(TestNode.instance(rw), "INSERT INTO guarded (k, v) VALUES (3, 'three')");
        assertEquals(200, r.status(), r.error());
        assertEquals(0, r.frames().get(0).fields().size());
        assertEquals("three", TestNode.session().execute("SELECT v FROM guarded WHERE k = 3").one().getString(0));
        TestNode.session().execute("DELETE FROM guarded WHERE k = 3");
    }

    @Test
    void describeAndListAreReads() {
        DataResponse r = run("DESCRIBE TABLE guarded");
        assertEquals(200, r.status(), r.error());
        try (Frame f = r.frames().get(0)) {
            assertEquals(List.of("keyspace_name", "type", "name", "create_statement"), f.fields().stream().map(Field::name).toList());
            assertEquals("guarded", f.field(2).getString(0));
            assertTrue(f.field(3).getString(0).startsWith("CREATE TABLE query_it.guarded ("), f.field(3).getString(0));
        }
        r = run("LIST ROLES");
        assertEquals(200, r.status(), r.error());
        try (Frame f = r.frames().get(0)) {
            assertEquals("role", f.field(0).name());
            assertTrue(f.rowCount() >= 1);
        }
    }

    @Test
    void useIsRefused() {
        assertError(400, "downstream", "USE refused: it would switch the keyspace of the session every query of this data source shares;"
                + " qualify table names (keyspace.table) or set the data source's keyspace (setting keyspace)", run("USE system"));
    }

    @Test
    void syntaxErrorIsA400WithTheNodesMessage() {
        DataResponse r = run("SELECT * FRM guarded");
        assertError(400, "downstream", "line 1:9 mismatched input 'FRM' expecting K_FROM (SELECT * [FRM]...)", r);
        assertEquals("SELECT * FRM guarded", r.frames().get(0).meta().executedQueryString());
    }

    @Test
    void aTypoIsASyntaxErrorNotAReadOnlyRefusal() {
        DataResponse r = run("SELEC * FROM guarded");
        assertEquals(400, r.status(), r.error());
        assertTrue(r.error().startsWith("line 1:0 ") && r.error().contains("SELEC"), r.error());
        assertTrue(!r.error().contains("read-only"), r.error());
        // a statement that parses and would write is still refused, and never runs
        assertError(400, "downstream",
                "UPDATE refused: the data source is read-only (setting readOnly); only SELECT, DESCRIBE and LIST statements run",
                run("UPDATE guarded SET v = 'x' WHERE k = 1"));
        assertEquals("one", TestNode.session().execute("SELECT v FROM guarded WHERE k = 1").one().getString(0));
    }

    @Test
    void unknownTableIsA400() {
        assertError(400, "downstream", "table nope does not exist", run("SELECT * FROM nope"));
        assertError(400, "downstream", "Undefined column name nope in table query_it.guarded", run("SELECT nope FROM guarded"));
    }

    @Test
    void notAuthorisedIsA403() {
        CqlSession admin = TestNode.session();
        admin.execute("DROP ROLE IF EXISTS it_reader");
        admin.execute("CREATE ROLE it_reader WITH PASSWORD = 'it_reader' AND LOGIN = true");
        try (CqlSession reader = TestNode.connect(TestNode.KEYSPACE, "it_reader", "it_reader")) {
            DataResponse r = run(new TestNode.Instance(TestNode.settings(), () -> reader), "SELECT * FROM guarded");
            assertError(403, "downstream",
                    "not authorised: User it_reader has no SELECT permission on <table query_it.guarded> or any of its parents", r);
        } finally {
            admin.execute("DROP ROLE IF EXISTS it_reader");
        }
    }

    @Test
    void wrongPasswordIsA401() {
        DataResponse r = run(new TestNode.Instance(TestNode.settings(), () -> TestNode.connect(null, TestNode.USER, "wrong")), "SELECT * FROM guarded");
        // the session cannot be opened: the query says what Save & test says
        assertError(401, "downstream", "Authentication failed: the cluster rejected the user name and password of "
                + (TestNode.settings().username() == null ? "the configured user" : "user \"" + TestNode.settings().username() + "\"")
                + " (check secureJsonData.username and secureJsonData.password)", r);
    }

    @Test
    void unreachableNodeIsA502() {
        DataResponse r = run(new TestNode.Instance(TestNode.settings(), () -> CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", 1)).withLocalDatacenter("dc1")
                .withConfigLoader(TestNode.config(java.time.Duration.ofSeconds(2))).build()), "SELECT * FROM guarded");
        assertEquals(502, r.status(), r.error());
        assertEquals("downstream", r.errorSource().wire());
        assertTrue(r.error().startsWith("No host reachable: tried 127.0.0.1:1 (connection refused)"), r.error());
    }

    @Test
    void invalidSettingsAreA400NamingTheKey() {
        // settings are typed once: an unknown consistency level never reaches the query path as a value
        CqlInstance bad = io.opencql.cql.internal.connect.DataSourceInstance.create(io.opencql.grafana.backend.PluginContext.forDataSource(
                new io.opencql.grafana.backend.DataSourceSettings(1, "bad", "bad", null, null, null, false, null,
                        "{\"consistency\":\"SOMETIMES\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of(), 1, "")),
                new io.opencql.cql.internal.connect.SessionFactory());
        assertError(400, "downstream", "invalid data source settings (consistency): jsonData.consistency must be one of ANY, ONE,"
                + " TWO, THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM, EACH_QUORUM, SERIAL, LOCAL_SERIAL, got \"SOMETIMES\"",
                run(bad, "SELECT * FROM guarded"));
        CqlInstance broken = new CqlInstance() {
            @Override
            public CqlSettings settings() throws InvalidSettingsException {
                throw new InvalidSettingsException("port", "port must be between 1 and 65535, got 0");
            }

            @Override
            public CqlSession session() throws InvalidSettingsException {
                throw new InvalidSettingsException("port", "port must be between 1 and 65535, got 0");
            }

            @Override
            public void close() {
            }
        };
        assertError(400, "downstream", "invalid data source settings (port): port must be between 1 and 65535, got 0",
                run(broken, "SELECT * FROM guarded"));
    }

    @Test
    void badQueryModelIsA400NamingTheKey() {
        DataResponse r = TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("A", "{\"cql\":\"SELECT 1\",\"rowLimit\":\"x\"}", 0, 1));
        assertError(400, "downstream", "query key 'rowLimit': expected a whole number, got string \"x\"", r);
        assertEquals(List.of(), r.frames());
        r = TestNode.run(TestNode.instance(TestNode.settings()), TestNode.query("A", "{\"cql\":\"\"}", 0, 1));
        assertError(400, "downstream", "the query has no CQL (key cql)", r);
    }

    @Test
    void successHasStatus200AndNoErrorSource() {
        DataResponse r = run("SELECT k, v FROM guarded WHERE k = 1");
        assertEquals(200, r.status());
        assertNull(r.error());
        assertNull(r.errorSource());
        r.closeFrames();
    }
}
