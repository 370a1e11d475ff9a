package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The query editor's completion offers the macros listed in frontend/src/completion/backend-macros.json (its jest
 * test, macros.test.ts, checks that). This test ties that file to the macros this backend expands, so a macro added
 * here without completion, or offered by completion but unknown here, fails the build.
 */
class MacroListAgreementTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "../.."));

    @Test
    void theEditorsMacroListIsTheBackendsOwn() throws Exception {
        JsonNode file = new ObjectMapper().readTree(Files.readString(ROOT.resolve("frontend/src/completion/backend-macros.json")));
        List<String> listed = new ArrayList<>();
        file.get("macros").forEach(n -> listed.add(n.asText()));
        assertEquals(Macros.names(), listed, "frontend/src/completion/backend-macros.json must list Macros.names(), sorted");
    }
}
