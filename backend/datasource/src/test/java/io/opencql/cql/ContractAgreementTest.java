package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.cql.internal.kernel.SettingsParser;
import io.opencql.cql.internal.query.QueryKey;
import io.opencql.cql.internal.query.QueryModel;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.data.TimeGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The settings ({@link Setting}) and the query keys ({@link QueryKey}) are declared once, beside their parsers.
 * This test holds everything else to those declarations: the committed contract/*.json files (which the
 * frontend's jest test and the provisioning check in demo-seed read), the README's tables (the one place the
 * README is checked), the parsers' own defaults, and the provisioning example loaded as Grafana hands it over.
 */
class ContractAgreementTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "../.."));
    static final ObjectMapper JSON = new ObjectMapper();

    // ---- the generated contract files --------------------------------------------------------------------------

    @Test
    void theCommittedContractFilesAreTheDeclarations() throws Exception {
        Map<String, String> generated = new LinkedHashMap<>();
        generated.put(ContractFiles.SETTINGS, ContractFiles.settings());
        generated.put(ContractFiles.QUERY, ContractFiles.query());
        boolean write = Boolean.getBoolean(ContractFiles.WRITE_PROPERTY);
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> e : generated.entrySet()) {
            Path file = ROOT.resolve(e.getKey());
            String committed = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (committed.equals(e.getValue())) {
                continue;
            }
            if (write) { // only when asked for on the command line; a normal run never writes
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
                System.err.println("ContractAgreementTest: wrote " + e.getKey());
            } else {
                stale.add(e.getKey() + (committed.isEmpty() ? " is missing" : " differs from the declaration:\n"
                        + lineDiff(committed, e.getValue())));
            }
        }
        if (!stale.isEmpty()) {
            fail(String.join("\n", stale) + "\nRegenerate (then review and commit the change): " + ContractFiles.REGENERATE);
        }
    }

    /** The lines that differ, numbered, committed ("-") against generated ("+"); at most 20. */
    static String lineDiff(String committed, String generated) {
        String[] a = committed.split("\n", -1);
        String[] b = generated.split("\n", -1);
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.max(a.length, b.length) && shown < 20; i++) {
            String x = i < a.length ? a[i] : "";
            String y = i < b.length ? b[i] : "";
            if (!x.equals(y)) {
                out.append("  line ").append(i + 1).append(":\n    - ").append(x).append("\n    + ").append(y).append('\n');
                shown++;
            }
        }
        return out.toString();
    }

    // ---- the README's tables ------------------------------------------------------------------------------------

    /** The rows of the table under a README heading: first cell a backticked key; a cell may hold an escaped pipe. */
    static Map<String, List<String>> readmeTable(String heading) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has no section " + heading);
        int end = readme.indexOf("\n#", start + heading.length() + 2);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            Matcher key = Pattern.compile("^\\| `([A-Za-z]+)` \\|").matcher(line);
            if (key.find()) {
                String[] cells = line.split("(?<!\\\\)\\|");
                rows.put(key.group(1), Arrays.stream(cells).skip(1).map(String::strip).toList());
            }
        }
        assertTrue(rows.size() > 1, "no key table under " + heading);
        return rows;
    }

    /** The literal a default cell starts with ({@code `5000` (or ...)}), or null for a described fallback. */
    static String literal(String cell) {
        Matcher m = Pattern.compile("^`([^`]+)`").matcher(cell);
        return m.find() ? m.group(1) : null;
    }

    static List<String> backticked(String cell, String pattern) {
        Matcher m = Pattern.compile("`(" + pattern + ")`").matcher(cell);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** A part of the contract as generated from the declarations (the committed file is held to it above). */
    static JsonNode contract(String part) throws Exception {
        return JSON.readTree(ContractFiles.settings()).get(part);
    }

    @Test
    void theReadmeListsExactlyTheDeclaredSettings() throws Exception {
        Map<String, List<String>> json = readmeTable("### `jsonData`");
        assertEquals(new TreeSet<>(Setting.keys(Setting.Section.JSON_DATA)), new TreeSet<>(json.keySet()),
                "README jsonData keys against kernel.Setting");
        assertEquals(new TreeSet<>(Setting.keys(Setting.Section.SECURE_JSON_DATA)),
                new TreeSet<>(readmeTable("### `secureJsonData`").keySet()), "README secureJsonData keys against kernel.Setting");
        assertEquals(Setting.keys(Setting.Section.JSON_DATA), SettingsParser.JSON_KEYS, "the parser's jsonData keys");
        assertEquals(Setting.keys(Setting.Section.SECURE_JSON_DATA), SettingsParser.SECURE_KEYS, "the parser's secure keys");
    }

    /** Columns: key, type, default, meaning. A literal default is the declared one; a described fallback is none. */
    @Test
    void theReadmeTypesDefaultsAndConsistencyLevelsAreTheDeclaredOnes() throws Exception {
        Map<String, List<String>> rows = readmeTable("### `jsonData`");
        JsonNode declared = contract("jsonData");
        int withDefault = 0;
        for (Setting setting : Setting.values()) {
            if (setting.section() != Setting.Section.JSON_DATA) {
                continue;
            }
            List<String> row = rows.get(setting.key());
            JsonNode d = declared.get(setting.key());
            assertEquals(d.get("type").asText(), row.get(1), setting.key() + ": README type column");
            String documented = literal(row.get(2));
            if (d.has("default")) {
                assertEquals(d.get("default").asText(), documented, setting.key() + ": README default column ("
                        + row.get(2) + ") against the declaration");
                assertEquals(setting.documentedDefault(), documented, setting.key());
                withDefault++;
            } else {
                assertNull(documented, setting.key() + ": the README gives a default (" + row.get(2) + "), the declaration none");
            }
        }
        assertEquals(11, withDefault, "settings with a declared default");
        List<String> levels = backticked(rows.get("consistency").get(3), "[A-Z_]+").stream().sorted().toList();
        List<String> values = new ArrayList<>();
        declared.get("consistency").get("values").forEach(v -> values.add(v.asText()));
        assertEquals(values.stream().sorted().toList(), levels, "README consistency levels against the declared values");
        assertEquals(Arrays.stream(DefaultConsistencyLevel.values()).map(Enum::name).sorted().toList(), levels,
                "README consistency levels against the driver's");
    }

    /** Columns: key, type (a JSON type, or the values in backticks), default, meaning. */
    @Test
    void theReadmeQueryModelIsTheDeclaredOne() throws Exception {
        Map<String, List<String>> rows = readmeTable("## Query model");
        Set<String> backend = Arrays.stream(QueryKey.values()).filter(k -> !k.editorOnly()).map(QueryKey::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(backend, new TreeSet<>(rows.keySet()), "README query model keys against query.QueryKey");
        for (QueryKey k : QueryKey.values()) {
            if (k.editorOnly()) {
                continue;
            }
            List<String> row = rows.get(k.key());
            assertType(k, row.get(1));
            String documented = literal(row.get(2));
            if (k.wireDefault() != null) {
                assertEquals(String.valueOf(k.wireDefault()), documented, k.key() + ": README default column (" + row.get(2) + ")");
            } else {
                assertNull(documented, k.key() + ": the README gives a default (" + row.get(2) + "), the declaration none");
            }
            if (k.minimum() != null) {
                assertTrue(row.get(2).contains("minimum `" + k.minimum() + "`"), k.key() + ": README says no minimum "
                        + k.minimum() + ": " + row.get(2));
            }
        }
        Map<String, List<String>> editor = readmeTable("### Editor-only query keys");
        Set<String> editorOnly = Arrays.stream(QueryKey.values()).filter(QueryKey::editorOnly).map(QueryKey::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(editorOnly, new TreeSet<>(editor.keySet()), "README editor-only keys against query.QueryKey");
        for (String key : editorOnly) {
            assertTrue(!rows.containsKey(key), key + " is editor-only but listed in the query model");
            assertType(byKey(key), editor.get(key).get(1));
        }
    }

    private static QueryKey byKey(String key) {
        return Arrays.stream(QueryKey.values()).filter(k -> k.key().equals(key)).findFirst().orElseThrow();
    }

    /** A key with values lists them in backticks (the README may add the sqlds numbers); others name their type. */
    private static void assertType(QueryKey k, String cell) {
        if (k.allowedValues().isEmpty()) {
            assertEquals(k.type().name().toLowerCase(java.util.Locale.ROOT), cell, k.key() + ": README type column");
        } else {
            assertTrue(backticked(cell, "[^`]+").containsAll(k.allowedValues()), k.key() + ": README type column " + cell
                    + " against the declared values " + k.allowedValues());
        }
    }

    // ---- the parsers' own defaults ------------------------------------------------------------------------------

    @Test
    void theSettingsParserAppliesTheDeclaredDefaults() throws Exception {
        CqlSettings s = SettingsParser.parse(new DataSourceSettings(1, "u", "n", "", "", "", false, "",
                new byte[0], Map.of(), 1, ""), Map.of());
        assertEquals(Setting.CONTACT_POINTS.defaultValue(String.class), s.contactPoints().get(0).host());
        assertEquals(Setting.PORT.defaultValue(Integer.class), s.contactPoints().get(0).port());
        assertEquals(Setting.CONSISTENCY.defaultValue(DefaultConsistencyLevel.class), s.consistency());
        assertEquals(Setting.CONNECT_TIMEOUT.defaultValue(Duration.class), s.connectTimeout());
        assertEquals(Setting.QUERY_TIMEOUT.defaultValue(Duration.class), s.queryTimeout());
        assertEquals(Setting.PAGE_SIZE.defaultValue(Integer.class), s.pageSize());
        assertEquals(Setting.ROW_LIMIT.defaultValue(Long.class), s.rowLimit());
        assertEquals(Setting.READ_ONLY.defaultValue(Boolean.class), s.readOnly());
        assertEquals(Setting.TLS_ENABLED.defaultValue(Boolean.class), s.tls().enabled());
        assertEquals(Setting.TLS_SKIP_VERIFY.defaultValue(Boolean.class), s.tls().skipVerify());
        assertNull(s.keyspace());
        assertNull(s.localDatacenter());
        assertNull(s.tls().serverName());
        assertNull(s.username());
        assertNull(s.password());
    }

    @Test
    void theQueryParserAppliesTheDeclaredDefaultsAndIgnoresEditorOnlyKeys() {
        QueryModel q = QueryModel.parse("{\"cql\":\"SELECT 1\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(QueryKey.FORMAT.defaultValue(QueryModel.Format.class), q.format());
        assertEquals(QueryKey.FILL.defaultValue(QueryModel.Fill.class), q.fill());
        assertEquals(QueryKey.FILL_VALUE.defaultValue(Double.class), q.fillValue());
        assertEquals(QueryKey.STREAM.defaultValue(Boolean.class), q.stream());
        assertEquals(QueryKey.STREAM_INTERVAL_MS.defaultValue(Long.class), q.streamIntervalMs());
        assertEquals(QueryKey.AGGREGATE.defaultValue(TimeGroup.Aggregate.class), q.aggregate());
        assertEquals(QueryKey.TIME_GROUP_ON_NODE.defaultValue(Boolean.class), q.timeGroupOnNode());
        assertNull(q.timeColumn());
        assertNull(q.alias());
        assertNull(q.timeGroup());
        assertEquals(0, q.rowLimit(), "no query row limit: the data source's applies");
        QueryModel withEditorKeys = QueryModel.parse(("{\"cql\":\"SELECT 1\",\"editorMode\":\"builder\","
                + "\"builder\":{\"table\":\"t\"}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(q, withEditorKeys, "the backend ignores the editor-only keys");
        String below = "{\"cql\":\"SELECT 1\",\"streamIntervalMs\":" + (QueryKey.STREAM_INTERVAL_MS.minimum() - 1) + "}";
        try {
            QueryModel.parse(below.getBytes(StandardCharsets.UTF_8));
            fail("a stream interval below the declared minimum was accepted");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage().contains("at least " + QueryKey.STREAM_INTERVAL_MS.minimum()), e.getMessage());
        }
    }

    @Test
    void theQueryParserReadsEveryDeclaredKey() throws Exception {
        QueryModel defaults = QueryModel.parse("{\"cql\":\"SELECT 1\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> changed = Map.ofEntries(
                Map.entry("cql", "SELECT now() FROM system.local"),
                Map.entry("format", "time_series"),
                Map.entry("timeColumn", "ts"),
                Map.entry("alias", "{{column}}"),
                Map.entry("fill", "value"),
                Map.entry("fillValue", 7.5),
                Map.entry("rowLimit", 10),
                Map.entry("stream", true),
                Map.entry("streamIntervalMs", 5000),
                Map.entry("timeGroup", "1m"),
                Map.entry("aggregate", "max"),
                Map.entry("timeGroupOnNode", false));
        Set<String> declared = Arrays.stream(QueryKey.values()).filter(k -> !k.editorOnly()).map(QueryKey::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, new TreeSet<>(changed.keySet()), "every declared query key has a case here");
        for (String key : declared) {
            ObjectNode q = JSON.createObjectNode().put("cql", "SELECT 1");
            q.set(key, JSON.valueToTree(changed.get(key)));
            QueryModel parsed = QueryModel.parse(JSON.writeValueAsBytes(q));
            assertNotEquals(defaults, parsed, "the parser ignores the declared key " + key);
        }
    }

    // ---- the provisioning example -------------------------------------------------------------------------------

    /** Grafana reads the YAML, expands $VAR from its environment, keeps jsonData as JSON, decrypts secureJsonData. */
    @Test
    void theProvisioningExampleParsesAsGrafanaWouldPassIt() throws Exception {
        JsonNode file = new YAMLMapper().readTree(ROOT.resolve("provisioning/datasources/datasource.yaml").toFile());
        JsonNode ds = file.get("datasources").get(0);
        // docker-compose.yaml's values for Grafana; the port reaches the plugin as text, as Grafana expands it
        Map<String, String> env = Map.of("CQL_USERNAME", "grafana_reader", "CQL_PASSWORD", "pw",
                "CQL_CONTACT_POINTS", "scylla", "CQL_PORT", "9042");
        Map<String, String> secure = new HashMap<>();
        ds.get("secureJsonData").fields().forEachRemaining(e -> secure.put(e.getKey(), expand(e.getValue().asText(), env)));
        ObjectNode jsonData = ds.get("jsonData").deepCopy();
        ds.get("jsonData").fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                jsonData.put(e.getKey(), expand(e.getValue().asText(), env));
            }
        });
        DataSourceSettings settings = new DataSourceSettings(1, ds.get("uid").asText(), ds.get("name").asText(),
                ds.path("url").asText(""), ds.path("user").asText(""), ds.path("database").asText(""), false, "",
                JSON.writeValueAsBytes(jsonData), secure, 1, "");
        CqlSettings s = SettingsParser.parse(settings, Map.of());
        assertEquals("scylla", s.contactPoints().get(0).host());
        assertEquals(9042, s.contactPoints().get(0).port());
        assertEquals("demo", s.keyspace());
        assertEquals("grafana_reader", s.username());
        assertEquals("pw", s.password());
        assertTrue(s.readOnly());
        for (String key : ds.get("jsonData").properties().stream().map(Map.Entry::getKey).toList()) {
            assertTrue(SettingsParser.JSON_KEYS.contains(key), "provisioned key the parser does not know: " + key);
        }
    }

    private static String expand(String value, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), "")));
        }
        return m.appendTail(out).toString();
    }
}
