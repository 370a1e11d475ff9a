package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CallResource: the editor's keyspace / table / column lookups against the test node. */
class ResourcesIT {

    static final String KS = "cql_connect_resources_it";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestNode node;
    static CqlDataSource dataSource;
    static Plugin plugin;
    static boolean vectors;

    @BeforeAll
    static void setUp() {
        node = TestNode.get();
        try (CqlSession admin = node.adminSession()) {
            admin.execute("DROP KEYSPACE IF EXISTS " + KS);
            admin.execute("CREATE KEYSPACE " + KS + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            String release = admin.execute("SELECT release_version FROM system.local").one().getString(0);
            vectors = release.startsWith("5."); // vector<> is Cassandra 5
            admin.execute("CREATE TABLE " + KS + ".t_all (pk1 text, pk2 int, ck1 timestamp, ck2 uuid, s1 int static,"
                    + " m frozen<map<text, int>>, l list<bigint>, a text," + (vectors ? " v vector<float, 3>," : "")
                    + " PRIMARY KEY ((pk2, pk1), ck2, ck1)) WITH CLUSTERING ORDER BY (ck2 DESC, ck1 ASC)");
            admin.execute("CREATE TABLE " + KS + ".b_simple (id int PRIMARY KEY)");
            admin.execute("CREATE TABLE " + KS + ".\"MixedCase\" (\"Id\" int PRIMARY KEY)");
        }
        dataSource = new CqlDataSource();
        plugin = dataSource.plugin();
    }

    @AfterAll
    static void tearDown() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    static CallResourceResponse call(DataSourceSettings ds, String method, String pathAndQuery) throws Exception {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        List<CallResourceResponse> sent = new ArrayList<>();
        plugin.callResource().callResource(new CallResourceRequest(PluginContext.forDataSource(ds), path, method, pathAndQuery,
                Map.of(), null), sent::add, RequestContext.NONE);
        assertEquals(1, sent.size());
        assertEquals(List.of("application/json"), sent.get(0).headers().get("Content-Type"));
        return sent.get(0);
    }

    static CallResourceResponse get(String pathAndQuery) throws Exception {
        return call(node.settings("resources", 1, ""), "GET", pathAndQuery);
    }

    static String body(CallResourceResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void keyspacesAreSortedAndIncludeOursAndTheSystemOnes() throws Exception {
        CallResourceResponse r = get("keyspaces");
        assertEquals(200, r.status());
        List<String> names = new ArrayList<>();
        JSON.readTree(r.body()).forEach(n -> names.add(n.asText()));
        assertTrue(names.contains(KS), names.toString());
        assertTrue(names.contains("system") && names.contains("system_schema"), names.toString());
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
    }

    @Test
    void tablesOfAKeyspace() throws Exception {
        CallResourceResponse r = get("tables?keyspace=" + KS);
        assertEquals(200, r.status());
        assertEquals("[\"MixedCase\",\"b_simple\",\"t_all\"]", body(r));
    }

    @Test
    void columnsInPrimaryKeyOrderThenTheRest() throws Exception {
        CallResourceResponse r = get("columns?keyspace=" + KS + "&table=t_all");
        assertEquals(200, r.status(), body(r));
        String expected = "[{\"name\":\"pk2\",\"type\":\"int\",\"kind\":\"partition_key\"},"
                + "{\"name\":\"pk1\",\"type\":\"text\",\"kind\":\"partition_key\"},"
                + "{\"name\":\"ck2\",\"type\":\"uuid\",\"kind\":\"clustering\"},"
                + "{\"name\":\"ck1\",\"type\":\"timestamp\",\"kind\":\"clustering\"},"
                + "{\"name\":\"s1\",\"type\":\"int\",\"kind\":\"static\"},"
                + "{\"name\":\"a\",\"type\":\"text\",\"kind\":\"regular\"},"
                + "{\"name\":\"l\",\"type\":\"list<bigint>\",\"kind\":\"regular\"},"
                + "{\"name\":\"m\",\"type\":\"frozen<map<text, int>>\",\"kind\":\"regular\"}"
                + (vectors ? ",{\"name\":\"v\",\"type\":\"vector<float, 3>\",\"kind\":\"regular\"}" : "") + "]";
        assertEquals(expected, body(r));
    }

    @Test
    void namesAreCaseSensitiveAsStored() throws Exception {
        assertEquals("[{\"name\":\"Id\",\"type\":\"int\",\"kind\":\"partition_key\"}]",
                body(get("columns?keyspace=" + KS + "&table=MixedCase")));
        assertEquals(404, get("columns?keyspace=" + KS + "&table=mixedcase").status());
    }

    @Test
    void unknownKeyspaceAndTableAre404() throws Exception {
        CallResourceResponse ks = get("tables?keyspace=no_such_ks");
        assertEquals(404, ks.status());
        assertEquals("{\"error\":\"keyspace \\\"no_such_ks\\\" does not exist\"}", body(ks));
        CallResourceResponse t = get("columns?keyspace=" + KS + "&table=nope");
        assertEquals(404, t.status());
        assertEquals("{\"error\":\"table \\\"nope\\\" does not exist in keyspace \\\"" + KS + "\\\"\"}", body(t));
        CallResourceResponse both = get("columns?keyspace=no_such_ks&table=nope");
        assertEquals(404, both.status());
        assertEquals("{\"error\":\"keyspace \\\"no_such_ks\\\" does not exist\"}", body(both));
    }

    @Test
    void missingParametersAre400() throws Exception {
        CallResourceResponse t = get("tables");
        assertEquals(400, t.status());
        assertEquals("{\"error\":\"missing query parameter keyspace (tables?keyspace=K)\"}", body(t));
        CallResourceResponse c = get("columns?keyspace=" + KS);
        assertEquals(400, c.status());
        assertEquals("{\"error\":\"missing query parameter table (columns?keyspace=K&table=T)\"}", body(c));
        assertEquals(400, get("columns?table=x").status());
    }

    @Test
    void unknownPathIs404AndOtherMethodsAre405() throws Exception {
        CallResourceResponse u = get("bogus");
        assertEquals(404, u.status());
        assertEquals("{\"error\":\"unknown resource \\\"bogus\\\"; available: keyspaces, tables, columns\"}", body(u));
        CallResourceResponse post = call(node.settings("resources", 1, ""), "POST", "keyspaces");
        assertEquals(405, post.status());
        assertEquals(List.of("GET"), post.headers().get("Allow"));
    }

    @Test
    void unreachableClusterIs502WithTheReasonAndNoSecret() throws Exception {
        DataSourceSettings ds = HealthIT.withJson(node.settings("resources-down", 1, "", Map.of("username", "u", "password", "pw-secret-99")),
                "{\"contactPoints\":\"127.0.0.1:1\"}");
        CallResourceResponse r = call(ds, "GET", "keyspaces");
        assertEquals(502, r.status());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals("No host reachable: tried 127.0.0.1:1 (connection refused). Check jsonData.contactPoints and jsonData.port,"
                + " and that Grafana can reach the nodes", error.asText());
        assertFalse(body(r).contains("pw-secret-99"));
    }

    @Test
    void invalidSettingsAre502NamingTheKey() throws Exception {
        CallResourceResponse r = call(node.settings("resources-bad", 1, "\"consistency\":\"most\""), "GET", "keyspaces");
        assertEquals(502, r.status());
        assertTrue(JSON.readTree(r.body()).get("error").asText().startsWith("Invalid settings: jsonData.consistency must be one of"));
    }
}
