package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.opencql.cql.kernel.CqlSettings;
import io.opencql.cql.kernel.Setting;
import io.opencql.cql.kernel.SettingsParser;
import io.opencql.cql.query.QueryModel;
import io.opencql.grafana.backend.DataSourceSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The settings and the query model are a public contract kept in three places besides this parser: the
 * README (the user's manual), frontend/src/types.ts (its jest test compares it with the README) and the
 * provisioning example (its own static test compares it with the README). This test ties the backend to the
 * same README tables and loads the provisioning file exactly as Grafana would hand it over.
 */
class ContractAgreementTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "../.."));
    static final ObjectMapper JSON = new ObjectMapper();

    static Set<String> readmeKeys(String heading) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf(heading);
        assertTrue(start >= 0, "README has no section " + heading);
        int end = readme.indexOf("\n#", start + heading.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> keys = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\|").matcher(section);
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertTrue(keys.size() > 3, "no key table under " + heading);
        return keys;
    }

    @Test
    void theParserReadsExactlyTheDocumentedSettings() throws Exception {
        assertEquals(new java.util.TreeSet<>(readmeKeys("### `jsonData`")), new java.util.TreeSet<>(SettingsParser.JSON_KEYS));
        assertEquals(new java.util.TreeSet<>(readmeKeys("### `secureJsonData`")), new java.util.TreeSet<>(SettingsParser.SECURE_KEYS));
    }

    /** The README's default column starts with the declared default, for every setting that has one. */
    @Test
    void theReadmeDefaultsAreTheDeclaredOnes() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int checked = 0;
        for (Setting setting : Setting.values()) {
            if (setting.documentedDefault() == null) {
                continue;
            }
            Matcher m = Pattern.compile("(?m)^\\| `" + setting.key() + "` \\| [^|]+ \\| ([^|]+) \\|").matcher(readme);
            assertTrue(m.find(), "README has no row for " + setting.key());
            assertTrue(m.group(1).trim().startsWith("`" + setting.documentedDefault() + "`"),
                    setting.key() + ": README says " + m.group(1).trim() + ", the declaration " + setting.documentedDefault());
            checked++;
        }
        assertEquals(10, checked, "settings with a declared default");
    }

    @Test
    void theQueryParserReadsEveryDocumentedKey() throws Exception {
        Set<String> documented = readmeKeys("## Query model");
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
        assertEquals(new java.util.TreeSet<>(documented), new java.util.TreeSet<>(changed.keySet()),
                "every documented query key has a case here");
        for (String key : documented) {
            ObjectNode q = JSON.createObjectNode().put("cql", "SELECT 1");
            q.set(key, JSON.valueToTree(changed.get(key)));
            QueryModel parsed = QueryModel.parse(JSON.writeValueAsBytes(q));
            assertNotEquals(defaults, parsed, "the parser ignores the documented key " + key);
        }
    }

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
