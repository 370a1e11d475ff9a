package io.opencql.cql.internal.query;

/**
 * The little of CQL's lexical grammar that macro expansion and the read-only guard need: where string
 * literals ({@code '…'} with {@code ''} escapes, {@code $$…$$}), quoted identifiers ({@code "…"} with
 * {@code ""} escapes) and comments ({@code --}, {@code //}, {@code /* … *}{@code /}) begin and end. Text inside
 * them is never a macro, a keyword or a statement separator. An unterminated one runs to the end of the text
 * (the node then reports the syntax error with its own message).
 */
final class CqlLexer {

    private CqlLexer() {
    }

    /**
     * If a literal, quoted identifier or comment starts at {@code i}, the index just after it; else -1.
     */
    static int skipNonCode(String s, int i) {
        int n = s.length();
        char c = s.charAt(i);
        switch (c) {
            case '\'':
            case '"':
                return skipQuoted(s, i, c);
            case '$':
                if (i + 1 < n && s.charAt(i + 1) == '$') {
                    int end = s.indexOf("$$", i + 2);
                    return end < 0 ? n : end + 2;
                }
                return -1;
            case '-':
                return i + 1 < n && s.charAt(i + 1) == '-' ? lineEnd(s, i) : -1;
            case '/':
                if (i + 1 < n && s.charAt(i + 1) == '/') {
                    return lineEnd(s, i);
                }
                if (i + 1 < n && s.charAt(i + 1) == '*') {
                    int end = s.indexOf("*/", i + 2);
                    return end < 0 ? n : end + 2;
                }
                return -1;
            default:
                return -1;
        }
    }

    /** True when a comment (not a literal) starts at {@code i}. */
    static boolean isCommentStart(String s, int i) {
        if (i + 1 >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        char d = s.charAt(i + 1);
        return (c == '-' && d == '-') || (c == '/' && (d == '/' || d == '*'));
    }

    /** Index of the first character at or after {@code i} that is neither whitespace nor inside a comment. */
    static int skipBlank(String s, int i) {
        int n = s.length();
        while (i < n) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
            } else if (isCommentStart(s, i)) {
                i = skipNonCode(s, i);
            } else {
                break;
            }
        }
        return i;
    }

    private static int skipQuoted(String s, int i, char q) {
        int n = s.length();
        int j = i + 1;
        while (j < n) {
            if (s.charAt(j) == q) {
                if (j + 1 < n && s.charAt(j + 1) == q) {
                    j += 2; // doubled quote: an escaped quote inside
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return n;
    }

    private static int lineEnd(String s, int i) {
        int end = s.indexOf('\n', i);
        return end < 0 ? s.length() : end + 1;
    }

    static boolean isIdentifierChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
