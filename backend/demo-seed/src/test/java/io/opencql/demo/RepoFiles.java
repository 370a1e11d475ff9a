package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's files as the consistency test reads them: YAML, JSON, the README's contract tables. */
final class RepoFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    final Path root;

    RepoFiles() {
        String prop = System.getProperty("repo.root");
        Path start = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        Path p = start.toAbsolutePath().normalize();
        while (p != null && !(Files.isDirectory(p.resolve("docker")) && Files.isRegularFile(p.resolve("pom.xml"))
                && Files.isDirectory(p.resolve("provisioning")))) {
            p = p.getParent();
        }
        if (p == null) {
            fail("repository root (with docker/, provisioning/ and pom.xml) not found from " + start);
        }
        root = p;
    }

    Path path(String relative) {
        return root.resolve(relative).normalize();
    }

    Path existing(String relative, String why) {
        Path p = path(relative);
        assertTrue(Files.exists(p), relative + " is missing (" + why + ")");
        return p;
    }

    String text(String relative, String why) {
        try {
            return Files.readString(existing(relative, why), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode yaml(String relative) {
        try {
            return YAML.readTree(text(relative, "provisioning/compose file"));
        } catch (IOException e) {
            throw new AssertionError(relative + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** One YAML scalar as YAML types it ({@code 9042} a number, {@code scylla} a string). */
    JsonNode yamlValue(String scalar) {
        try {
            return YAML.readTree("v: " + scalar).path("v");
        } catch (IOException e) {
            throw new AssertionError("not a YAML scalar: " + scalar, e);
        }
    }

    JsonNode json(String relative, String why) {
        try {
            return JSON.readTree(text(relative, why));
        } catch (IOException e) {
            throw new AssertionError(relative + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** One row of a README contract table: the key, its type cell and the allowed values written in backticks. */
    record ContractKey(String key, String type, List<String> allowedValues) {}

    /**
     * The table under the README heading {@code heading} (exact line), up to the next heading: first cell of
     * each row is a backticked key; values listed in backticks in the type cell (e.g. {@code `table` \| `time_series`})
     * are the only allowed values.
     */
    Map<String, ContractKey> readmeTable(String heading) {
        String readme = text("README.md", "the documented contract");
        int at = readme.indexOf("\n" + heading + "\n");
        assertTrue(at >= 0, "README.md has no section '" + heading + "'");
        String rest = readme.substring(at + heading.length() + 2);
        Matcher next = Pattern.compile("(?m)^#{1,6} ").matcher(rest);
        String section = next.find() ? rest.substring(0, next.start()) : rest;
        Map<String, ContractKey> out = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            String key = cells[1].strip().replace("`", "");
            String type = cells.length > 2 ? cells[2].strip() : "";
            List<String> allowed = new ArrayList<>();
            if (type.contains("\\|")) {
                Matcher m = Pattern.compile("`([^`]+)`").matcher(type);
                while (m.find()) {
                    allowed.add(m.group(1));
                }
            }
            out.put(key, new ContractKey(key, type, allowed));
        }
        assertTrue(!out.isEmpty(), "README.md section '" + heading + "' has no `key` rows");
        return out;
    }
}
