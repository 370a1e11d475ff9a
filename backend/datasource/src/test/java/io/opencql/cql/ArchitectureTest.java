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
 */
class ArchitectureTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "../.."));
    static final Pattern REFERENCE = Pattern.compile("\\b(io\\.opencql\\.(?:cql|grafana)(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z*]|\\bcom\\.datastax\\.");

    /** What each package of the data source may reference among the data source's packages (besides itself). */
    static final Map<String, Set<String>> CQL_MAY_USE = Map.of(
            "io.opencql.cql.internal.kernel", Set.of(),
            "io.opencql.cql.internal.failure", Set.of("io.opencql.cql.internal.kernel"),
            "io.opencql.cql.internal.connect", Set.of("io.opencql.cql.internal.kernel", "io.opencql.cql.internal.failure"),
            "io.opencql.cql.query", Set.of("io.opencql.cql.internal.kernel", "io.opencql.cql.internal.failure"),
            "io.opencql.cql.internal.live", Set.of("io.opencql.cql.internal.kernel", "io.opencql.cql.internal.failure", "io.opencql.cql.query"),
            "io.opencql.cql", Set.of("io.opencql.cql.internal.kernel", "io.opencql.cql.internal.failure", "io.opencql.cql.internal.connect",
                    "io.opencql.cql.query", "io.opencql.cql.internal.live"));

    record Reference(Path file, String pkg, String target) {
    }

    static List<Reference> references(Path sources) throws IOException {
        List<Reference> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
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
}
