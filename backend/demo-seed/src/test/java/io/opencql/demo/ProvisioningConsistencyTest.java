package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Static checks of docker/ and provisioning/ against each other, plugin.json, the declared contract (contract/*.json,
 * generated from the backend's Setting and QueryKey declarations) and the demo schema. No Docker engine runs where this project is built, so these files are never executed here;
 * this test is what keeps them honest.
 */
class ProvisioningConsistencyTest {

    private static final String COMPOSE = "docker/docker-compose.yaml";
    private static final String DOCKERFILE = "docker/Dockerfile";
    private static final String GRAFANA_INI = "docker/grafana.ini";
    private static final String DATASOURCE = "provisioning/datasources/datasource.yaml";
    private static final String DASHBOARDS = "provisioning/dashboards/dashboards.yaml";
    private static final String DASHBOARD = "provisioning/dashboards/cql-demo.json";
    private static final String ALERTS = "provisioning/alerting/cql-demo-rules.yaml";
    private static final String PLUGIN_JSON = "frontend/src/plugin.json";

    /** Keys Grafana itself puts in a query object next to the plugin's own. */
    private static final Set<String> GRAFANA_QUERY_KEYS =
            Set.of("refId", "datasource", "hide", "queryType", "key", "intervalMs", "maxDataPoints");

    private final RepoFiles repo = new RepoFiles();

    // ---- the plugin id ------------------------------------------------------------------------------------------

    private JsonNode pluginJson() {
        if (!Files.isRegularFile(repo.path(PLUGIN_JSON))) {
            fail(PLUGIN_JSON + " does not exist yet: the plugin id, grafanaDependency and capabilities that "
                    + "docker/ and provisioning/ rely on cannot be checked without it");
        }
        return repo.json(PLUGIN_JSON, "the plugin's manifest");
    }

    @Test
    void pluginIdAgreesEverywhere() {
        JsonNode plugin = pluginJson();
        String id = plugin.path("id").asText();
        assertFalse(id.isEmpty(), PLUGIN_JSON + " has no id");

        JsonNode grafana = compose().path("services").path("grafana");
        String allowed = grafana.path("environment").path("GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS").asText();
        assertTrue(List.of(allowed.split(",")).contains(id),
                COMPOSE + ": GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS '" + allowed + "' does not allow " + id);

        String dockerfile = repo.text(DOCKERFILE, "image build");
        assertTrue(dockerfile.contains("/var/lib/grafana/plugins/" + id),
                DOCKERFILE + " does not install into /var/lib/grafana/plugins/" + id);
        String executable = plugin.path("executable").asText();
        assertTrue(dockerfile.contains(executable + "_linux_"),
                DOCKERFILE + " does not check the launcher " + executable + "_linux_<arch> that Grafana will exec");

        Map<String, Map<String, String>> ini = ini(repo.text(GRAFANA_INI, "mounted as grafana.ini"));
        assertTrue(List.of(ini.getOrDefault("plugins", Map.of()).getOrDefault("allow_loading_unsigned_plugins", "")
                .split(",")).contains(id), GRAFANA_INI + " [plugins] allow_loading_unsigned_plugins misses " + id);
        assertTrue(ini.containsKey("plugin." + id), GRAFANA_INI + " has no [plugin." + id + "] section");

        assertEquals(id, datasource().path("type").asText(), DATASOURCE + ": data source type");

        // what the provisioned files use must be switched on in the manifest
        assertTrue(plugin.path("backend").asBoolean(), "plugin.json: backend must be true");
        assertTrue(plugin.path("alerting").asBoolean(), "plugin.json: alerting must be true for " + ALERTS);
        assertTrue(plugin.path("annotations").asBoolean(), "plugin.json: annotations must be true (dashboard annotation)");
        assertTrue(plugin.path("streaming").asBoolean(), "plugin.json: streaming must be true (live panel)");
    }

    @Test
    void grafanaImageSatisfiesGrafanaDependencyAndTheRuntimeMatchesItsLibc() {
        String dockerfile = repo.text(DOCKERFILE, "image build");
        Matcher arg = Pattern.compile("(?m)^ARG GRAFANA_VERSION=(\\S+)$").matcher(dockerfile);
        assertTrue(arg.find(), DOCKERFILE + " has no 'ARG GRAFANA_VERSION=<tag>' default");
        String tag = arg.group(1);
        int firstFrom = dockerfile.indexOf("\nFROM ");
        assertTrue(arg.start() < firstFrom, "ARG GRAFANA_VERSION must precede the first FROM to be usable in FROM lines");

        Map<String, String> stages = stages(dockerfile);
        assertEquals("grafana/grafana:${GRAFANA_VERSION}", stages.get("grafana"), "final stage base image");
        String last = new ArrayList<>(stages.keySet()).get(stages.size() - 1);
        assertEquals("grafana", last, "the Grafana image must be the last (default) stage");

        // a tag without suffix is Alpine (musl); "-ubuntu" is glibc: the bundled runtime must be built for it
        boolean ubuntu = tag.endsWith("-ubuntu");
        String jreStage = stageText(dockerfile, "jre");
        assertEquals("grafana/grafana:${GRAFANA_VERSION}", stages.get("jre"),
                "build the runtime on the Grafana image itself, so its libc is the one it will run on");
        if (ubuntu) {
            assertTrue(jreStage.contains("apt-get"), "an Ubuntu Grafana tag needs a glibc runtime (apt-get)");
        } else {
            assertTrue(jreStage.contains("apk add") && jreStage.contains("openjdk17-jmods"),
                    "an Alpine Grafana tag (" + tag + ") needs a musl runtime: Alpine's openjdk17 + jmods");
        }
        assertTrue(jreStage.contains("jlink"), "the jre stage must jlink the runtime");
        assertTrue(stageText(dockerfile, "grafana").contains("/jre"),
                "the runtime goes to <plugin dir>/jre, where the launcher looks first");

        String version = tag.replaceFirst("-.*$", "");
        String range = pluginJson().path("dependencies").path("grafanaDependency").asText();
        assertFalse(range.isEmpty(), PLUGIN_JSON + " has no dependencies.grafanaDependency");
        assertTrue(SemverRange.satisfies(range, version),
                "Grafana " + version + " (" + DOCKERFILE + ") does not satisfy grafanaDependency '" + range + "'");
    }

    // ---- compose ------------------------------------------------------------------------------------------------

    private JsonNode compose() {
        return repo.yaml(COMPOSE);
    }

    @Test
    void composeReferencesExistingFilesAndStages() {
        Path composeDir = repo.path(COMPOSE).getParent();
        JsonNode services = compose().path("services");
        for (String name : List.of("scylla", "seed", "grafana")) {
            assertTrue(services.has(name), COMPOSE + " has no service " + name);
        }
        Map<String, String> stages = stages(repo.text(DOCKERFILE, "image build"));
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            JsonNode build = s.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = composeDir.resolve(build.path("context").asText(".")).normalize();
                assertTrue(Files.isDirectory(context), s.getKey() + ": build context " + context + " missing");
                assertEquals(repo.root, context, s.getKey() + ": the Dockerfile copies the whole repository");
                Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile")).normalize();
                assertTrue(Files.isRegularFile(dockerfile), s.getKey() + ": Dockerfile " + dockerfile + " missing");
                String target = build.path("target").asText();
                assertTrue(stages.containsKey(target), s.getKey() + ": no stage '" + target + "' in " + dockerfile);
            }
            for (JsonNode v : s.getValue().path("volumes")) {
                String source = v.asText().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(Files.exists(composeDir.resolve(source).normalize()),
                            s.getKey() + ": volume source " + source + " does not exist");
                }
            }
        }
        JsonNode grafana = services.path("grafana");
        Map<String, String> mounts = mounts(grafana, composeDir);
        assertEquals("/etc/grafana/provisioning", mounts.get(repo.path("provisioning").toString()),
                "provisioning/ must be mounted at /etc/grafana/provisioning");
        assertEquals("/etc/grafana/grafana.ini", mounts.get(repo.path(GRAFANA_INI).toString()));
        assertFalse(mounts.containsValue("/var/lib/grafana"), "a volume on /var/lib/grafana hides the installed plugin");
        assertTrue(mounts.values().stream().noneMatch(t -> t.startsWith("/var/lib/grafana/plugins")),
                "the plugin comes from the image, not a mount");

        // the dashboards provider reads the folder the mount puts there; the home dashboard exists in it
        String providerPath = repo.yaml(DASHBOARDS).path("providers").get(0).path("options").path("path").asText();
        assertEquals("/etc/grafana/provisioning/dashboards", providerPath);
        String home = grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertTrue(home.startsWith("/etc/grafana/provisioning/"), "home dashboard outside the mount: " + home);
        repo.existing("provisioning/" + home.substring("/etc/grafana/provisioning/".length()), "home dashboard");

        assertEquals("service_healthy", services.path("seed").path("depends_on").path("scylla").path("condition").asText(),
                "the seeder must wait for a healthy node");
        String health = services.path("scylla").path("healthcheck").path("test").toString();
        assertTrue(health.contains("cqlsh"), "the node's health check must run CQL: " + health);
        String image = services.path("scylla").path("image").asText();
        assertTrue(image.matches("scylladb/scylla:\\d+\\.\\d+\\.\\d+"), "pin a full ScyllaDB tag: " + image);
        List<String> command = new ArrayList<>();
        services.path("scylla").path("command").forEach(c -> command.add(c.asText()));
        assertEquals(List.of("--smp", "1", "--memory", "750M", "--overprovisioned", "1"), command.subList(0, 6));
    }

    @Test
    void portsAndAddressesAgree() {
        JsonNode services = compose().path("services");
        JsonNode grafana = services.path("grafana");
        assertTrue(texts(grafana.path("ports")).contains("3000:3000"), "Grafana on localhost:3000 (README)");
        assertTrue(grafana.path("healthcheck").path("test").toString().contains("localhost:3000/"));
        assertTrue(grafana.path("environment").path("GF_SERVER_HTTP_PORT").isMissingNode());
        assertFalse(ini(repo.text(GRAFANA_INI, "grafana.ini")).getOrDefault("server", Map.of()).containsKey("http_port"));

        JsonNode json = datasource().path("jsonData");
        String contact = provisioned(json.path("contactPoints")).asText();
        int port = provisioned(json.path("port")).asInt();
        String host = contact.split(":")[0];
        int contactPort = contact.contains(":") ? Integer.parseInt(contact.split(":")[1]) : port;
        assertTrue(services.has(host), DATASOURCE + ": contact point " + host + " is not a compose service");
        assertTrue(texts(services.path(host).path("ports")).stream().anyMatch(p -> p.endsWith(":" + contactPort)),
                "the node listens on " + contactPort + " in the container");
        assertEquals("scylla:" + contactPort, services.path("seed").path("environment").path("CQL_CONTACT_POINTS").asText(),
                "the seeder writes where Grafana reads");
    }

    // ---- data source ---------------------------------------------------------------------------------------------

    /**
     * A provisioned value as Grafana's compose service sees it: {@code $VAR} or {@code ${VAR}} is replaced by the
     * default the compose file gives VAR in Grafana's environment ({@code ${VAR:-default}}), typed as YAML would
     * type it; the variable must be set there. Other values are returned as they are.
     */
    private JsonNode provisioned(JsonNode value) {
        Matcher ref = Pattern.compile("\\$\\{?(\\w+)}?").matcher(value.asText());
        if (!value.isTextual() || !ref.matches()) {
            return value;
        }
        JsonNode env = compose().path("services").path("grafana").path("environment");
        String name = ref.group(1);
        assertTrue(env.has(name), DATASOURCE + " reads $" + name + ", which " + COMPOSE + " does not give Grafana");
        Matcher dflt = Pattern.compile("\\$\\{" + name + ":-(.*)}").matcher(env.path(name).asText());
        String text = dflt.matches() ? dflt.group(1) : env.path(name).asText();
        return repo.yamlValue(text);
    }

    private JsonNode datasource() {
        JsonNode list = repo.yaml(DATASOURCE).path("datasources");
        assertEquals(1, list.size(), DATASOURCE + ": one data source expected");
        return list.get(0);
    }

    @Test
    void dataSourceKeysAreTheDocumentedOnes() {
        JsonNode ds = datasource();
        assertEquals("cql-demo", ds.path("uid").asText(), "dashboards and the alert rule refer to uid cql-demo");
        assertTrue(ds.path("editable").asBoolean(), "editable: true");
        Map<String, RepoFiles.ContractKey> json = repo.contract("settings.json", "jsonData");
        Map<String, RepoFiles.ContractKey> secure = repo.contract("settings.json", "secureJsonData");
        for (Iterator<Map.Entry<String, JsonNode>> it = ds.path("jsonData").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            RepoFiles.ContractKey key = json.get(e.getKey());
            assertNotNull(key, DATASOURCE + ": jsonData." + e.getKey() + " is not a declared setting (contract/settings.json)");
            assertType(key, provisioned(e.getValue()), DATASOURCE + ": jsonData." + e.getKey());
        }
        for (Iterator<String> it = ds.path("secureJsonData").fieldNames(); it.hasNext(); ) {
            String k = it.next();
            assertTrue(secure.containsKey(k), DATASOURCE + ": secureJsonData." + k + " is not a declared setting"
                    + " (contract/settings.json)");
        }
        assertEquals("$CQL_USERNAME", ds.path("secureJsonData").path("username").asText());
        assertEquals("$CQL_PASSWORD", ds.path("secureJsonData").path("password").asText());
        // keys shown in comments (TLS) must be documented too: users uncomment them
        Matcher commented = Pattern.compile("(?m)^\\s*#\\s+(\\w+):").matcher(repo.text(DATASOURCE, "data source"));
        while (commented.find()) {
            String k = commented.group(1);
            if (k.startsWith("tls")) {
                assertTrue(json.containsKey(k) || secure.containsKey(k), DATASOURCE + ": commented key " + k
                        + " is not a declared setting (contract/settings.json)");
            }
        }
        JsonNode env = compose().path("services").path("grafana").path("environment");
        assertTrue(env.has("CQL_USERNAME") && env.has("CQL_PASSWORD"), "Grafana needs CQL_USERNAME/CQL_PASSWORD");
    }

    // ---- queries ---------------------------------------------------------------------------------------------

    /** Every query object of the dashboard with where it sits. */
    private Map<String, JsonNode> dashboardQueries(JsonNode dashboard) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        collectPanels(dashboard.path("panels"), out);
        for (JsonNode a : dashboard.path("annotations").path("list")) {
            if (a.path("builtIn").asInt() == 1) {
                continue;
            }
            assertDataSource(a.path("datasource"), "annotation '" + a.path("name").asText() + "'");
            out.put("annotation '" + a.path("name").asText() + "'", a.path("target"));
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (!v.path("type").asText().equals("query")) {
                continue;
            }
            assertDataSource(v.path("datasource"), "variable " + v.path("name").asText());
            assertTrue(v.path("query").isObject(), "variable " + v.path("name").asText()
                    + ": write the query as a query object (cql, format), not a string");
            out.put("variable " + v.path("name").asText(), v.path("query"));
        }
        return out;
    }

    private void collectPanels(JsonNode panels, Map<String, JsonNode> out) {
        for (JsonNode p : panels) {
            collectPanels(p.path("panels"), out);
            String where = "panel '" + p.path("title").asText() + "'";
            if (p.has("targets")) {
                assertDataSource(p.path("datasource"), where);
            }
            for (JsonNode t : p.path("targets")) {
                out.put(where + " " + t.path("refId").asText(), t);
            }
        }
    }

    private void assertDataSource(JsonNode ref, String where) {
        JsonNode ds = datasource();
        assertEquals(ds.path("uid").asText(), ref.path("uid").asText(), where + ": data source uid");
        assertEquals(ds.path("type").asText(), ref.path("type").asText(), where + ": data source type");
    }

    @Test
    void dashboardQueriesUseOnlyDocumentedKeysAndTheProvisionedDataSource() {
        JsonNode dashboard = repo.json(DASHBOARD, "the demo dashboard");
        Map<String, RepoFiles.ContractKey> model = repo.contract("query.json", "query");
        Map<String, JsonNode> queries = dashboardQueries(dashboard);
        assertTrue(queries.size() >= 6, "panels, annotation and variable queries expected, found " + queries.keySet());
        Set<String> formats = new TreeSet<>();
        boolean streaming = false;
        for (Map.Entry<String, JsonNode> q : queries.entrySet()) {
            checkQueryKeys(q.getKey(), q.getValue(), model);
            assertDataSource(q.getValue().path("datasource"), q.getKey());
            formats.add(q.getValue().path("format").asText());
            streaming |= q.getValue().path("stream").asBoolean();
        }
        assertEquals(Set.of("table", "time_series"), formats, "both result shapes are shown");
        assertTrue(streaming, "a live panel (stream: true) is part of the demo");
        assertEquals("cql-demo", dashboard.path("uid").asText(), "the alert rule links to dashboard uid cql-demo");
    }

    private void checkQueryKeys(String where, JsonNode q, Map<String, RepoFiles.ContractKey> model) {
        assertFalse(q.path("refId").asText().isEmpty(), where + ": refId");
        assertFalse(q.path("cql").asText().isBlank(), where + ": cql");
        for (Iterator<Map.Entry<String, JsonNode>> it = q.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (GRAFANA_QUERY_KEYS.contains(e.getKey())) {
                continue;
            }
            RepoFiles.ContractKey key = model.get(e.getKey());
            assertNotNull(key, where + ": key '" + e.getKey() + "' is not a declared query key (contract/query.json)");
            assertType(key, e.getValue(), where + ": " + e.getKey());
        }
    }

    private static void assertType(RepoFiles.ContractKey key, JsonNode value, String where) {
        if (!key.allowedValues().isEmpty()) {
            assertTrue(value.isTextual() && key.allowedValues().contains(value.asText()),
                    where + " = " + value + ", declared values: " + key.allowedValues());
        } else if (key.type().equals("number")) {
            assertTrue(value.isNumber(), where + " must be a number, is " + value);
        } else if (key.type().equals("boolean")) {
            assertTrue(value.isBoolean(), where + " must be a boolean, is " + value);
        } else if (key.type().equals("string")) {
            assertTrue(value.isTextual(), where + " must be a string, is " + value);
        } else {
            assertEquals("object", key.type(), where + ": unknown declared type");
            assertTrue(value.isObject(), where + " must be an object, is " + value);
        }
    }

    @Test
    void alertRuleEvaluatesTheDemoQueryAgainstTheModelsThreshold() {
        JsonNode file = repo.yaml(ALERTS);
        assertEquals(1, file.path("apiVersion").asInt());
        JsonNode rule = file.path("groups").get(0).path("rules").get(0);
        assertNotNull(rule, ALERTS + ": no rule");
        Map<String, JsonNode> byRef = new LinkedHashMap<>();
        for (JsonNode d : rule.path("data")) {
            byRef.put(d.path("refId").asText(), d);
            assertEquals(d.path("refId").asText(), d.path("model").path("refId").asText(), "refId of the model");
        }
        JsonNode c = byRef.get(rule.path("condition").asText());
        assertNotNull(c, "the condition names an existing refId");
        assertEquals("threshold", c.path("model").path("type").asText());
        JsonNode evaluator = c.path("model").path("conditions").get(0).path("evaluator");
        assertEquals("gt", evaluator.path("type").asText());
        assertEquals(ReadingModel.ALERT_THRESHOLD, evaluator.path("params").get(0).asDouble(),
                "the seeder's overheating episodes are built to cross exactly this threshold");
        JsonNode b = byRef.get(c.path("model").path("expression").asText());
        assertNotNull(b, "the threshold's expression names an existing refId");
        assertEquals("reduce", b.path("model").path("type").asText());
        JsonNode a = byRef.get(b.path("model").path("expression").asText());
        assertNotNull(a, "the reduce expression names an existing refId");
        for (JsonNode expr : List.of(b, c)) {
            assertEquals("__expr__", expr.path("datasourceUid").asText());
        }
        assertEquals(datasource().path("uid").asText(), a.path("datasourceUid").asText(), "the query's data source");
        assertTrue(a.path("relativeTimeRange").path("from").asInt() > 0, "the query needs a time range");
        JsonNode model = a.path("model");
        checkQueryKeys("alert query", model, repo.contract("query.json", "query"));
        if (model.has("datasource")) {
            assertDataSource(model.path("datasource"), "alert query");
        }
        assertEquals("time_series", model.path("format").asText(), "alerting needs wide time series");
        Set<String> overheating = SensorCatalog.BUILT_IN.stream().filter(Sensor::overheats).map(Sensor::id)
                .collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("'([a-z0-9-]+)'").matcher(model.path("cql").asText());
        while (m.find()) {
            named.add(m.group(1));
        }
        assertEquals(overheating, named, "the rule watches the sensors that overheat");
    }

    // ---- the CQL in the provisioned queries ------------------------------------------------------------------

    private List<String> allCql() {
        List<String> out = new ArrayList<>();
        dashboardQueries(repo.json(DASHBOARD, "dashboard")).values().forEach(q -> out.add(q.path("cql").asText()));
        for (JsonNode d : repo.yaml(ALERTS).path("groups").get(0).path("rules").get(0).path("data")) {
            if (d.path("model").has("cql")) {
                out.add(d.path("model").path("cql").asText());
            }
        }
        return out;
    }

    @Test
    void queriesNameTablesAndColumnsOfTheDemoSchema() {
        Map<String, Set<String>> schema = schemaColumns();
        Pattern from = Pattern.compile("(?is)^\\s*SELECT\\s+(.*?)\\s+FROM\\s+(\\w+)\\.(\\w+)(.*)$");
        for (String cql : allCql()) {
            Matcher m = from.matcher(cql);
            assertTrue(m.matches(), "not a SELECT ... FROM keyspace.table: " + cql);
            assertEquals(SeedOptions.DEFAULT_KEYSPACE, m.group(2), "keyspace of " + cql);
            Set<String> columns = schema.get(m.group(3));
            assertNotNull(columns, "table " + m.group(3) + " is not in " + DemoSeed.SCHEMA_RESOURCE + ": " + cql);
            Set<String> used = new LinkedHashSet<>();
            for (String item : splitTopLevel(m.group(1))) {
                String col = item.strip().replaceFirst("(?i)\\s+AS\\s+.*$", "");
                if (!col.equals("*")) {
                    used.add(col);
                }
            }
            // the column arguments of the filter macros ($__timeBuckets takes a unit, not a column)
            Matcher macro = Pattern.compile("\\$__(?:timeFilter|unixEpochFilter)\\((\\w+)\\)").matcher(cql);
            while (macro.find()) {
                used.add(macro.group(1));
            }
            Matcher where = Pattern.compile("(?i)(?:WHERE|AND)\\s+(\\w+)\\s*(?:=|IN\\b|>=|<=|>|<)").matcher(m.group(4));
            while (where.find()) {
                used.add(where.group(1));
            }
            for (String col : used) {
                assertTrue(columns.contains(col), "column " + col + " is not in table " + m.group(3) + ": " + cql);
            }
        }
    }

    @Test
    void macrosUsedAreDocumentedInTheReadme() {
        String readme = repo.text("README.md", "documented macros");
        Set<String> missing = new TreeSet<>();
        for (String cql : allCql()) {
            Matcher m = Pattern.compile("\\$__\\w+").matcher(cql);
            while (m.find()) {
                if (!readme.contains("`" + m.group() + "(") && !readme.contains("`" + m.group() + "`")) {
                    missing.add(m.group());
                }
            }
        }
        assertTrue(missing.isEmpty(), "macros used in " + DASHBOARD + " / " + ALERTS
                + " but not documented in README.md (as `$__name(...)`): " + missing);
    }

    @Test
    void imageBuildUsesWhatTheMavenBuildProvides() {
        String dockerfile = repo.text(DOCKERFILE, "image build");
        String build = stageText(dockerfile, "build");
        assertTrue(build.contains("mvn ") && build.contains(" package") && build.contains("-DskipTests"),
                "the build stage runs the root Maven build without tests");
        // every -Dproperty the image build passes is read by a pom (a property no pom reads, like the former
        // -Dskip.go, promises a switch that does nothing)
        String poms = String.join("\n", List.of("pom.xml", "backend/sdk/pom.xml", "backend/datasource/pom.xml",
                "backend/demo-seed/pom.xml", "backend/plugin/pom.xml", "frontend/pom.xml", "conformance/pom.xml")
                .stream().map(f -> repo.text(f, "Maven properties")).toList());
        Matcher property = Pattern.compile("-D([\\w.]+)").matcher(build);
        while (property.find()) {
            String name = property.group(1);
            assertTrue(name.equals("skipTests") || poms.contains("${" + name + "}") || poms.contains("<" + name + ">"),
                    DOCKERFILE + " passes -D" + name + ", which no pom reads");
        }
        Matcher copy = Pattern.compile("COPY --from=build /src/(\\S+) ").matcher(dockerfile);
        while (copy.find()) {
            String src = copy.group(1);
            if (src.startsWith("backend/demo-seed/target/")) {
                assertTrue(src.endsWith("-all.jar"));
                assertTrue(repo.text("backend/demo-seed/pom.xml", "shade")
                        .contains("<shadedClassifierName>all</shadedClassifierName>"), "the seed image copies the -all jar");
            } else if (!src.startsWith("dist/")) {
                repo.existing(src, "copied by " + DOCKERFILE);
            }
        }
        repo.existing("docker/Dockerfile.dockerignore", "keeps host node_modules/target out of the build context");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Stage name to base image, in order. */
    private static Map<String, String> stages(String dockerfile) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)\\s+AS\\s+(\\S+)\\s*$").matcher(dockerfile);
        while (m.find()) {
            out.put(m.group(2), m.group(1));
        }
        assertFalse(out.isEmpty(), "no named stages in the Dockerfile");
        return out;
    }

    private static String stageText(String dockerfile, String stage) {
        Matcher m = Pattern.compile("(?m)^FROM\\s+\\S+\\s+AS\\s+" + Pattern.quote(stage) + "\\s*$").matcher(dockerfile);
        assertTrue(m.find(), "no stage " + stage);
        int next = dockerfile.indexOf("\nFROM ", m.end());
        return dockerfile.substring(m.start(), next < 0 ? dockerfile.length() : next);
    }

    private static Map<String, String> mounts(JsonNode service, Path composeDir) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":");
            String source = parts[0].startsWith(".") ? composeDir.resolve(parts[0]).normalize().toString() : parts[0];
            out.put(source, parts[1]);
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, Map<String, String>> ini(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        String section = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                out.putIfAbsent(section, new LinkedHashMap<>());
            } else if (line.contains("=")) {
                out.computeIfAbsent(section, k -> new LinkedHashMap<>())
                        .put(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return out;
    }

    /** Table name to column names, from the bundled schema (CREATE TABLE and ALTER TABLE ... ADD). */
    private static Map<String, Set<String>> schemaColumns() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Pattern create = Pattern.compile("(?is)^CREATE TABLE (?:IF NOT EXISTS )?\\w+\\.(\\w+)\\s*\\((.*)\\)[^)]*$");
        Pattern alter = Pattern.compile("(?is)^ALTER TABLE \\w+\\.(\\w+) ADD (\\w+) .*$");
        for (CqlScript.Statement st : CqlScript.resource(DemoSeed.SCHEMA_RESOURCE, SeedOptions.DEFAULT_KEYSPACE)) {
            Matcher c = create.matcher(st.cql());
            if (c.matches()) {
                Set<String> cols = new LinkedHashSet<>();
                for (String def : splitTopLevel(c.group(2))) {
                    String d = def.strip();
                    if (!d.toUpperCase().startsWith("PRIMARY KEY")) {
                        cols.add(d.split("\\s+")[0]);
                    }
                }
                out.put(c.group(1), cols);
            }
            Matcher a = alter.matcher(st.cql());
            if (a.matches()) {
                out.get(a.group(1)).add(a.group(2));
            }
        }
        return out;
    }

    /** Splits on commas outside (), <> and quotes. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder cur = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '\'' || ch == '"') {
                quoted = !quoted;
            } else if (!quoted && (ch == '(' || ch == '<')) {
                depth++;
            } else if (!quoted && (ch == ')' || ch == '>')) {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(ch);
        }
        out.add(cur.toString());
        return out;
    }
}
