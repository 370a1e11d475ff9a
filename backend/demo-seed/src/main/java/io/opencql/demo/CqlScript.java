package io.opencql.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A CQL file split into statements, the way cqlsh reads it: statements end with {@code ;} outside string
 * literals, quoted identifiers and comments. A comment that starts with {@code @optional} marks the next statement
 * as one whose failure the seeder tolerates (a feature an older server lacks).
 */
public final class CqlScript {

    /** The keyspace name the bundled resources are written with. */
    public static final String RESOURCE_KEYSPACE = "demo";

    private static final Pattern OPTIONAL_MARK = Pattern.compile("(--|//|/\\*)\\s*@optional\\b");
    private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");

    /** One statement, without its trailing semicolon and without comments. */
    public record Statement(String cql, boolean optional) {
        public boolean isCreateKeyspace() {
            return cql.regionMatches(true, 0, "CREATE KEYSPACE", 0, "CREATE KEYSPACE".length());
        }
    }

    private CqlScript() {}

    /** Reads a classpath resource of this module (e.g. {@code demo-schema.cql}) and splits it. */
    public static List<Statement> resource(String name, String keyspace) {
        try (InputStream in = CqlScript.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), keyspace);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits {@code text} into statements; identifiers {@code demo.x} and the keyspace name after
     * {@code KEYSPACE [IF NOT EXISTS]} are renamed to {@code keyspace} outside literals.
     */
    public static List<Statement> parse(String text, String keyspace) {
        if (!KEYSPACE_NAME.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("not a valid keyspace name: " + keyspace);
        }
        List<Statement> out = new ArrayList<>();
        StringBuilder stmt = new StringBuilder();
        StringBuilder code = new StringBuilder(); // current run of text outside literals, renamed on flush
        boolean optional = false;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : '\0';
            if ((c == '-' && next == '-') || (c == '/' && next == '/')) {
                int end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
                optional |= marksOptional(text.substring(i, end));
                code.append(' ');
                i = end;
            } else if (c == '/' && next == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                optional |= marksOptional(text.substring(i, end));
                code.append(' ');
                i = end;
            } else if (c == '\'' || c == '"') {
                flush(code, stmt, keyspace);
                int end = i + 1;
                while (end < n) {
                    if (text.charAt(end) == c) {
                        if (end + 1 < n && text.charAt(end + 1) == c) {
                            end += 2; // doubled quote is an escaped quote
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                if (end >= n) {
                    throw new IllegalArgumentException("unterminated " + (c == '\'' ? "string" : "identifier")
                            + " starting at offset " + i);
                }
                stmt.append(text, i, end + 1);
                i = end + 1;
            } else if (c == '$' && next == '$') {
                flush(code, stmt, keyspace);
                int end = text.indexOf("$$", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated $$ string starting at offset " + i);
                }
                stmt.append(text, i, end + 2);
                i = end + 2;
            } else if (c == ';') {
                flush(code, stmt, keyspace);
                String cql = stmt.toString().strip().replaceAll("[ \\t]+\\n", "\n");
                if (!cql.isEmpty()) {
                    out.add(new Statement(cql, optional));
                }
                stmt.setLength(0);
                optional = false;
                i++;
            } else {
                code.append(c);
                i++;
            }
        }
        flush(code, stmt, keyspace);
        if (!stmt.toString().isBlank()) {
            throw new IllegalArgumentException("last statement has no terminating ';': " + stmt.toString().strip());
        }
        return List.copyOf(out);
    }

    /** A comment marks the next statement optional when its text starts with {@code @optional}. */
    private static boolean marksOptional(String comment) {
        return OPTIONAL_MARK.matcher(comment).lookingAt();
    }

    private static void flush(StringBuilder code, StringBuilder stmt, String keyspace) {
        if (code.length() == 0) {
            return;
        }
        String s = code.toString();
        if (!keyspace.equals(RESOURCE_KEYSPACE)) {
            s = s.replaceAll("(?<![\\w.])" + RESOURCE_KEYSPACE + "\\.", keyspace + ".")
                 .replaceAll("(?i)(KEYSPACE\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?)" + RESOURCE_KEYSPACE + "(?![\\w.])",
                         "$1" + keyspace);
        }
        stmt.append(s);
        code.setLength(0);
    }
}
