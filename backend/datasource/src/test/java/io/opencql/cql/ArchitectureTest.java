package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers as docs and design promise them, checked on the main sources' references (imports and qualified
 * names alike): the SDK knows no CQL, nothing in the SDK but its transport sees the transport, and the data
 * source's packages only point down (root → live → query → connect/failure → kernel), so no arrow goes back up
 * and {@code cql} has no package cycle. A new package must be placed here before it may be used.
 *
 * <p>And the api/internal split (docs/architecture.md, "Public and internal"): a type is public outside an
 * {@code internal} package only if it is listed here as API, and no code outside a package's tree references its
 * {@code internal} packages ({@code io.opencql.cql.internal…} is the data source's own).
 */
class ArchitectureTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "../.."));
    static final Pattern REFERENCE = Pattern.compile("\\b(io\\.opencql\\.(?:cql|grafana)(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z*]|\\bcom\\.datastax\\.");

    /** What each package of the data source may reference among the data source's packages (besides itself). */
    static final Map<String, Set<String>> CQL_MAY_USE = Map.of(
            "io.opencql.cql.internal.kernel", Set.of(),
            "io.opencql.cql.internal.failure", Set.of("io.opencql.cql.internal.kernel"),
            "io.opencql.cql.internal.connect", Set.of("io.opencql.cql.internal.kernel", "io.opencql.cql.internal.failure"),
            "io.opencql.cql.internal.query", Set.of("io.opencql.cql.internal.kernel", "io.opencql.cql.internal.failure"),
            "io.opencql.cql.internal.live", Set.of("io.opencql.cql.internal.kernel", "io.opencql.cql.internal.failure", "io.opencql.cql.internal.query"),
            "io.opencql.cql", Set.of("io.opencql.cql.internal.kernel", "io.opencql.cql.internal.failure", "io.opencql.cql.internal.connect",
                    "io.opencql.cql.internal.query", "io.opencql.cql.internal.live"));

    /** The data source's entry points: what the plugin's wiring uses. */
    static final Set<String> CQL_API = Set.of("io.opencql.cql.CqlDataSource");

    /**
     * The SDK's API: what a data source author (and the plugin's wiring) uses. The transport keeps everything but
     * {@code PluginServer} to itself.
     */
    static final Set<String> SDK_API = Set.of(
            "io.opencql.grafana.backend.CallResourceHandler", "io.opencql.grafana.backend.CallResourceRequest",
            "io.opencql.grafana.backend.CallResourceResponse", "io.opencql.grafana.backend.CheckHealthHandler",
            "io.opencql.grafana.backend.CheckHealthRequest", "io.opencql.grafana.backend.CheckHealthResult",
            "io.opencql.grafana.backend.DataQuery", "io.opencql.grafana.backend.DataResponse",
            "io.opencql.grafana.backend.DataSourceSettings", "io.opencql.grafana.backend.ErrorSource",
            "io.opencql.grafana.backend.Plugin", "io.opencql.grafana.backend.PluginContext",
            "io.opencql.grafana.backend.QueryDataHandler", "io.opencql.grafana.backend.QueryDataRequest",
            "io.opencql.grafana.backend.QueryDataResponse", "io.opencql.grafana.backend.RequestContext",
            "io.opencql.grafana.backend.ResourceSender", "io.opencql.grafana.backend.StreamHandler",
            "io.opencql.grafana.backend.StreamReply", "io.opencql.grafana.backend.StreamRequest",
            "io.opencql.grafana.backend.StreamSender", "io.opencql.grafana.backend.TimeRange",
            "io.opencql.grafana.backend.User",
            "io.opencql.grafana.data.ArrowFrameWriter", "io.opencql.grafana.data.Field", "io.opencql.grafana.data.FieldConfig",
            "io.opencql.grafana.data.FieldType", "io.opencql.grafana.data.FillMode", "io.opencql.grafana.data.Frame",
            "io.opencql.grafana.data.FrameMeta", "io.opencql.grafana.data.FrameRows", "io.opencql.grafana.data.JsonFrameWriter",
            "io.opencql.grafana.data.LongToWide", "io.opencql.grafana.data.Notice", "io.opencql.grafana.data.SelfTestFrame",
            "io.opencql.grafana.data.SeriesBuckets", "io.opencql.grafana.data.TimeGroup",
            "io.opencql.grafana.instance.IdleTimeout", "io.opencql.grafana.instance.InstanceFactory",
            "io.opencql.grafana.instance.InstanceManager",
            "io.opencql.grafana.log.GrafanaLogConfigurator", // named in META-INF/services: logback loads it
            "io.opencql.grafana.metrics.PluginMetrics",
            // the middleware chain PluginServer composes (its own middleware is package-private)
            "io.opencql.grafana.middleware.Endpoint",
            "io.opencql.grafana.middleware.ErrorSources", "io.opencql.grafana.middleware.HandlerChain",
            "io.opencql.grafana.middleware.Middleware", "io.opencql.grafana.middleware.Outcome",
            "io.opencql.grafana.query.QueryCall", "io.opencql.grafana.query.QueryDriver",
            "io.opencql.grafana.query.QueryFailure", "io.opencql.grafana.query.QueryRunner",
            "io.opencql.grafana.query.RowLimitReached",
            "io.opencql.grafana.query.SelfTestOnly", // the transport answers self-tests alone on the event loop
            "io.opencql.grafana.resource.ResourceCall", "io.opencql.grafana.resource.ResourceRouter",
            "io.opencql.grafana.transport.PluginServer");

    static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)");

    /** Every main source folder of the backend: the SDK, the data source, the wiring and the demo seeder. */
    static final List<String> MAIN_SOURCES = List.of("backend/sdk/src/main/java", "backend/datasource/src/main/java",
            "backend/plugin/src/main/java", "backend/demo-seed/src/main/java");

    record Reference(Path file, String pkg, String target) {
    }

    static String withoutComments(Path f) throws IOException {
        return Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    static List<Reference> references(Path sources) throws IOException {
        List<Reference> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = withoutComments(f);
                Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(text);
                assertTrue(pkg.find(), f + " has no package line");
                Matcher m = REFERENCE.matcher(text.substring(pkg.end()));
                while (m.find()) {
                    out.add(new Reference(f, pkg.group(1), m.group(1) == null ? "com.datastax" : m.group(1)));
                }
            }
        }
        return out;
    }

    @Test
    void theSdkKnowsNoCqlAndOnlyItsTransportSeesTheTransport() throws IOException {
        Set<String> wrong = new TreeSet<>();
        List<Reference> refs = references(ROOT.resolve("backend/sdk/src/main/java"));
        assertTrue(refs.size() > 50, "the SDK's references were read: " + refs.size());
        for (Reference r : refs) {
            if (r.target().startsWith("io.opencql.cql") || r.target().equals("com.datastax")) {
                wrong.add(r.file().getFileName() + " (" + r.pkg() + ") uses " + r.target() + ": the SDK must not know CQL");
            }
            if (r.target().startsWith("io.opencql.grafana.transport") && !r.pkg().startsWith("io.opencql.grafana.transport")) {
                wrong.add(r.file().getFileName() + " (" + r.pkg() + ") uses " + r.target() + ": only the transport sees it");
            }
        }
        assertEquals(Set.of(), wrong);
    }

    @Test
    void theDataSourcesPackagesOnlyPointDown() throws IOException {
        Set<String> wrong = new TreeSet<>();
        List<Reference> refs = references(ROOT.resolve("backend/datasource/src/main/java"));
        assertTrue(refs.size() > 50, "the data source's references were read: " + refs.size());
        for (Reference r : refs) {
            if (r.target().startsWith("io.opencql.grafana.transport")) {
                wrong.add(r.file().getFileName() + " (" + r.pkg() + ") uses " + r.target() + ": the transport is the plugin's wiring");
            }
            if (!r.target().startsWith("io.opencql.cql") || r.target().equals(r.pkg())) {
                continue;
            }
            Set<String> allowed = CQL_MAY_USE.get(r.pkg());
            if (allowed == null) {
                wrong.add(r.pkg() + " is not placed in CQL_MAY_USE");
            } else if (!allowed.contains(r.target())) {
                wrong.add(r.file().getFileName() + " (" + r.pkg() + ") uses " + r.target() + ": an arrow back up");
            }
        }
        assertEquals(Set.of(), wrong);
    }

    /** The public top-level types (package.Name) of a source folder. */
    static Set<String> publicTypes(Path sources) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = withoutComments(f);
                Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(text);
                assertTrue(pkg.find(), f + " has no package line");
                Matcher type = PUBLIC_TYPE.matcher(text);
                if (type.find()) {
                    out.add(pkg.group(1) + "." + type.group(1));
                }
            }
        }
        return out;
    }

    static boolean internal(String qualifiedName) {
        return qualifiedName.contains(".internal.");
    }

    @Test
    void onlyTheEntryPointsArePublicOutsideInternalPackages() throws IOException {
        Set<String> cql = publicTypes(ROOT.resolve("backend/datasource/src/main/java"));
        Set<String> sdk = publicTypes(ROOT.resolve("backend/sdk/src/main/java"));
        assertTrue(cql.contains("io.opencql.cql.CqlDataSource") && sdk.contains("io.opencql.grafana.data.Frame"),
                "the public types were read: " + cql + " " + sdk);
        Set<String> wrong = new TreeSet<>();
        for (String t : cql) {
            if (!internal(t) && !CQL_API.contains(t)) {
                wrong.add(t + " is public but not an entry point of the data source: make it package-private, or move it"
                        + " to an io.opencql.cql.internal package if other packages need it, or add it to CQL_API");
            }
        }
        for (String t : sdk) {
            if (!SDK_API.contains(t)) {
                wrong.add(t + " is public but not in the SDK's API: make it package-private, or add it to SDK_API");
            }
        }
        // a listed type that is gone or no longer public is a stale entry: the list says what is API, exactly
        stale("CQL_API", CQL_API, cql, wrong);
        stale("SDK_API", SDK_API, sdk, wrong);
        assertEquals(Set.of(), wrong);
    }

    private static void stale(String list, Set<String> listed, Set<String> publicTypes, Set<String> wrong) {
        for (String t : listed) {
            if (!publicTypes.contains(t)) {
                wrong.add(t + " is listed in " + list + " but is not a public type");
            }
        }
    }

    @Test
    void nothingOutsideAPackageTreeReferencesItsInternals() throws IOException {
        Set<String> wrong = new TreeSet<>();
        int read = 0;
        for (String folder : MAIN_SOURCES) {
            List<Reference> refs = references(ROOT.resolve(folder));
            read += refs.size();
            for (Reference r : refs) {
                int at = r.target().indexOf(".internal");
                if (at >= 0 && !(r.pkg() + ".").startsWith(r.target().substring(0, at) + ".")) {
                    wrong.add(r.file().getFileName() + " (" + r.pkg() + ") uses " + r.target()
                            + ": internals are for their own package tree; use an entry point");
                }
            }
        }
        assertTrue(read > 100, "the references were read: " + read);
        assertEquals(Set.of(), wrong);
    }
}
