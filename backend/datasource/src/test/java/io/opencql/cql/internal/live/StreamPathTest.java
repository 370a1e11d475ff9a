package io.opencql.cql.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.cql.internal.query.QueryModel;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The channel rules of Grafana Live ({@code live/channel.go}) and how stream ids are made. */
class StreamPathTest {

    /** Grafana's rules, restated here rather than taken from the code under test. */
    static final Pattern LIVE_NAMESPACE = Pattern.compile("[A-Za-z0-9_\\-.]+");
    static final Pattern LIVE_PATH = Pattern.compile("[A-Za-z0-9_\\-/=.]+");
    static final String UID_40 = "abcdefghij-ABCDEFGHIJ_0123456789-abcdefg"; // Grafana's longest uid

    static StreamSpec spec(long org, String uid, String cql) {
        return new StreamSpec(org, "", uid, "A", cql, "table", null, null, 0, 1000);
    }

    static PluginContext ctx(long org, String uid) {
        DataSourceSettings ds = new DataSourceSettings(7, uid, "cql", null, null, null, false, null,
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), 1, "");
        return new PluginContext(org, "opencql-cql-datasource", null, ds, Map.of(), "", "", "");
    }

    @Test
    void aChannelWithTheLongestUidFitsLivesRules() {
        assertEquals(40, UID_40.length());
        String path = StreamPath.path(spec(1, UID_40, "SELECT * FROM t WHERE $__timeFilter(ts)").id());
        String channel = StreamPath.channel(UID_40, path);
        assertTrue(channel.length() <= 160, channel);
        assertEquals(81, channel.length());
        String[] parts = channel.split("/", 3);
        assertEquals("ds", parts[0]);
        assertTrue(LIVE_NAMESPACE.matcher(parts[1]).matches(), parts[1]);
        assertTrue(LIVE_PATH.matcher(parts[2]).matches(), parts[2]);
        assertTrue(parts[2].startsWith("tail/"));
    }

    @Test
    void idsAreUrlSafeAndFixedLengthWhateverTheQuery() {
        Set<String> ids = new HashSet<>();
        StringBuilder big = new StringBuilder("SELECT * FROM t WHERE x IN (");
        for (int i = 0; i < 5000; i++) {
            big.append(i).append(',');
        }
        String[] queries = {"SELECT 1", "SELECT ts, \"Ünïcode\" FROM t -- /=+", big + "0)", "x".repeat(100_000)};
        for (String q : queries) {
            String id = spec(1, "u", q).id();
            assertEquals(StreamPath.ID_LENGTH, id.length());
            assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
            ids.add(id);
        }
        assertEquals(queries.length, ids.size());
    }

    @Test
    void theIdDependsOnWhoseStreamItIsAndWhatItReads() {
        String base = spec(1, "u", "SELECT 1").id();
        assertEquals(base, spec(1, "u", "SELECT 1").id(), "deterministic: a restarted process finds the same id");
        assertNotEquals(base, spec(2, "u", "SELECT 1").id(), "org");
        assertNotEquals(base, spec(1, "v", "SELECT 1").id(), "data source");
        assertNotEquals(base, spec(1, "u", "SELECT 2").id(), "cql");
        assertNotEquals(base, new StreamSpec(1, "t1", "u", "A", "SELECT 1", "table", null, null, 0, 1000).id(), "tenant");
        assertNotEquals(base, new StreamSpec(1, "", "u", "B", "SELECT 1", "table", null, null, 0, 1000).id(), "refId");
        assertNotEquals(base, new StreamSpec(1, "", "u", "A", "SELECT 1", "time_series", null, null, 0, 1000).id(), "format");
        assertNotEquals(base, new StreamSpec(1, "", "u", "A", "SELECT 1", "table", "ts", null, 0, 1000).id(), "timeColumn");
        assertNotEquals(base, new StreamSpec(1, "", "u", "A", "SELECT 1", "table", null, "{{column}}", 0, 1000).id(), "alias");
        assertNotEquals(base, new StreamSpec(1, "", "u", "A", "SELECT 1", "table", null, null, 10, 1000).id(), "rowLimit");
        assertNotEquals(base, new StreamSpec(1, "", "u", "A", "SELECT 1", "table", null, null, 0, 2000).id(), "interval");
    }

    @Test
    void fillDoesNotChangeTheStream() {
        QueryModel a = QueryModel.parse("{\"cql\":\"SELECT 1\",\"stream\":true,\"format\":\"time_series\"}".getBytes(StandardCharsets.UTF_8));
        QueryModel b = QueryModel.parse(("{\"cql\":\"SELECT 1\",\"stream\":true,\"format\":\"time_series\",\"fill\":\"value\","
                + "\"fillValue\":3}").getBytes(StandardCharsets.UTF_8));
        assertEquals(StreamSpec.of(ctx(1, "u"), a, "A").id(), StreamSpec.of(ctx(1, "u"), b, "A").id());
    }

    @Test
    void theSpecSurvivesItsJson() {
        StreamSpec s = new StreamSpec(3, "t", "u", "B", "SELECT \"x\"\nFROM t", "time_series", "ts", "{{column}}", 50, 250);
        assertEquals(s, StreamSpec.fromJson(s.toJson()));
        assertEquals(s.id(), StreamSpec.fromJson(s.toJson()).id());
        StreamSpec bare = spec(1, "u", "SELECT 1");
        assertEquals("{\"orgId\":1,\"tenantId\":\"\",\"dataSourceUid\":\"u\",\"refId\":\"A\",\"cql\":\"SELECT 1\",\"format\":\"table\","
                + "\"streamIntervalMs\":1000}", new String(bare.canonicalJson(), StandardCharsets.UTF_8));
    }

    @Test
    void onlyTailPathsWithAnIdAreRecognised() {
        String id = spec(1, "u", "SELECT 1").id();
        assertEquals(id, StreamPath.idOf("tail/" + id));
        assertNull(StreamPath.idOf(id));
        assertNull(StreamPath.idOf("tail/" + id + "x"));
        assertNull(StreamPath.idOf("tail/" + id.substring(1)));
        assertNull(StreamPath.idOf("tail/" + id.substring(1) + "="));
        assertNull(StreamPath.idOf("tail/../" + id.substring(3)));
        assertNull(StreamPath.idOf("other/" + id));
        assertNull(StreamPath.idOf(""));
        assertNull(StreamPath.idOf(null));
        assertThrows(IllegalArgumentException.class, () -> StreamPath.path("short"));
    }

    @Test
    void uidsLiveCannotCarryAreRefusedWithTheReason() {
        String path = StreamPath.path(spec(1, "u", "SELECT 1").id());
        assertEquals("the data source uid 'a b' has characters a Live channel cannot carry (allowed: letters, digits, '_', '-', '.')",
                assertThrows(IllegalArgumentException.class, () -> StreamPath.channel("a b", path)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreamPath.channel("a/b", path));
        assertThrows(IllegalArgumentException.class, () -> StreamPath.channel("", path));
        String long120 = "u".repeat(120);
        assertEquals("the data source uid '" + long120 + "' is too long for a Live channel (161 > 160 characters)",
                assertThrows(IllegalArgumentException.class, () -> StreamPath.channel(long120, path)).getMessage());
        assertEquals(160, StreamPath.channel("u".repeat(119), path).length());
    }
}
