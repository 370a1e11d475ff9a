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

/** The repository's files as the consistency test reads them: YAML, JSON, the declared contract (contract/). */
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

    /** One declared key of the contract: its JSON type and, when it has them, the only values it takes. */
    record ContractKey(String key, String type, List<String> allowedValues) {}

    /**
     * One part ({@code jsonData}, {@code secureJsonData}, {@code query}, {@code editorOnly}) of a contract file
     * under contract/, as the backend's declarations generate it (kernel/Setting.java, query/QueryKey.java; its
     * ContractAgreementTest keeps the committed file equal to them).
     */
    Map<String, ContractKey> contract(String file, String part) {
        JsonNode keys = json("contract/" + file, "generated from the backend's declarations").path(part);
        assertTrue(keys.isObject() && keys.size() > 0, "contract/" + file + " has no keys under '" + part + "'");
        Map<String, ContractKey> out = new LinkedHashMap<>();
        keys.fields().forEachRemaining(e -> {
            List<String> allowed = new ArrayList<>();
            e.getValue().path("values").forEach(v -> allowed.add(v.asText()));
            out.put(e.getKey(), new ContractKey(e.getKey(), e.getValue().path("type").asText(), allowed));
        });
        return out;
    }
}
