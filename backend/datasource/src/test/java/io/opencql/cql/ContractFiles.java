package io.opencql.cql;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.cql.internal.query.QueryKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The declarations {@link Setting} and {@link QueryKey} written as the committed, machine-readable contract
 * (contract/settings.json, contract/query.json) that the modules without the backend on their class path read:
 * the frontend's jest test and the provisioning check in demo-seed. {@link ContractAgreementTest} regenerates both
 * and fails when the committed files differ; {@value #WRITE_PROPERTY}=true rewrites them instead.
 */
final class ContractFiles {

    static final String SETTINGS = "contract/settings.json";
    static final String QUERY = "contract/query.json";
    static final String WRITE_PROPERTY = "contract.write";
    static final String REGENERATE = "mvn -B -q -o -pl backend/datasource -am test -Dtest=ContractAgreementTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two-space indent, {@code "key": value}, \n on every platform: the form prettier and editors leave alone. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private ContractFiles() {
    }

    /** contract/settings.json: per section, each key in declaration order with its JSON type, default and values. */
    static String settings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated", "from " + "backend/datasource/src/main/java/io/opencql/cql/internal/kernel/Setting.java; do not edit:"
                + " change the declaration, then run " + REGENERATE);
        for (Setting.Section section : Setting.Section.values()) {
            Map<String, Object> keys = new LinkedHashMap<>();
            for (Setting s : Setting.values()) {
                if (s.section() == section) {
                    keys.put(s.key(), setting(s));
                }
            }
            out.put(section == Setting.Section.JSON_DATA ? "jsonData" : "secureJsonData", keys);
        }
        return write(out);
    }

    /**
     * One setting as the settings page and provisioning write it: a number for counts and seconds, a boolean, or
     * text (a setting without a default is text: the parser reads each of them as a string); an enum's constants
     * are its only values.
     */
    private static Map<String, Object> setting(Setting s) {
        Object d = s.defaultValue(Object.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", d instanceof Number || d instanceof Duration ? "number" : d instanceof Boolean ? "boolean" : "string");
        if (d instanceof Duration duration) {
            out.put("default", duration.toSeconds());
        } else if (d instanceof Enum<?> e) {
            out.put("default", e.name());
            out.put("values", Arrays.stream(e.getDeclaringClass().getEnumConstants()).map(Enum::name).toList());
        } else if (d != null) {
            out.put("default", d);
        }
        return out;
    }

    /** contract/query.json: the keys the backend reads ({@code query}) and those only the editor reads. */
    static String query() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated", "from " + "backend/datasource/src/main/java/io/opencql/cql/internal/query/QueryKey.java; do not edit:"
                + " change the declaration, then run " + REGENERATE);
        Map<String, Object> backend = new LinkedHashMap<>();
        Map<String, Object> editor = new LinkedHashMap<>();
        for (QueryKey k : QueryKey.values()) {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("type", k.type().name().toLowerCase(Locale.ROOT));
            if (k.wireDefault() != null) {
                key.put("default", k.wireDefault());
            }
            if (k.minimum() != null) {
                key.put("minimum", k.minimum());
            }
            List<String> values = k.allowedValues();
            if (!values.isEmpty()) {
                key.put("values", values);
            }
            (k.editorOnly() ? editor : backend).put(k.key(), key);
        }
        out.put("query", backend);
        out.put("editorOnly", editor);
        return write(out);
    }

    private static String write(Map<String, Object> tree) {
        try {
            return JSON.writer(PRETTY).writeValueAsString(tree) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
