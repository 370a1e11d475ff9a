package io.opencql.cql.internal.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The narrow shape of a SELECT that time grouping can move to the node ({@link TimeGroupPlanner}): plain columns
 * (each optionally {@code AS alias}) from one table, a WHERE of {@code column op term} / {@code column IN (...)}
 * relations joined by AND, and an optional ORDER BY. Anything else (functions, {@code *}, DISTINCT, JSON, LIMIT,
 * GROUP BY, ALLOW FILTERING, tuple or token relations, several statements) is not this shape: {@link #parse} then
 * gives null and the query is grouped in the plugin, exactly as before. The node remains the judge of the CQL; this
 * only has to be right about which texts it accepts.
 *
 * @param columns   the selected columns in order
 * @param table     the table as written (keyspace-qualified or not), for the rewritten statement
 * @param keyspace  the keyspace named before the table (internal form), or null
 * @param tableName the table's name (internal form)
 * @param where     the WHERE clause's text as written, without the keyword, or "" when there is none
 * @param relations the WHERE clause's relations
 * @param orderBy   the ORDER BY clause's text as written, without the keywords, or "" when there is none
 */
record SimpleSelect(List<Column> columns, String table, String keyspace, String tableName, String where,
                    List<Relation> relations, String orderBy) {

    /**
     * @param name   the column (internal form: unquoted names lower-cased)
     * @param label  the result column's name: the alias, else the column's name (internal form)
     * @param source the column as written (without its alias), for the rewritten statement
     */
    record Column(String name, String label, String source) {
    }

    /**
     * @param column   the restricted column (internal form)
     * @param operator {@code =}, {@code <}, {@code <=}, {@code >}, {@code >=} or {@code IN}
     * @param term     the right-hand side as written
     */
    record Relation(String column, String operator, String term) {
    }

    /** Null when {@code cql} is not the shape described above. */
    static SimpleSelect parse(String cql) {
        List<Token> t = tokens(cql);
        if (t == null) {
            return null;
        }
        Cursor c = new Cursor(t);
        if (!c.keyword("SELECT")) {
            return null;
        }
        List<Column> columns = new ArrayList<>();
        do {
            Token col = c.next();
            if (col == null || !col.isName() || isReserved(col) || c.peekIs("(") || c.peekIs(".")) {
                return null; // a function call, *, DISTINCT, JSON, a qualified name: not a plain column
            }
            String label = col.name();
            if (c.keyword("AS")) {
                Token alias = c.next();
                if (alias == null || !alias.isName()) {
                    return null;
                }
                label = alias.name();
            }
            columns.add(new Column(col.name(), label, col.text));
        } while (c.symbol(","));
        if (!c.keyword("FROM")) {
            return null;
        }
        Token first = c.next();
        if (first == null || !first.isName() || isReserved(first)) {
            return null;
        }
        String keyspace = null;
        Token tableToken = first;
        if (c.symbol(".")) {
            tableToken = c.next();
            if (tableToken == null || !tableToken.isName()) {
                return null;
            }
            keyspace = first.name();
        }
        String table = cql.substring(first.start, tableToken.end);
        String where = "";
        List<Relation> relations = new ArrayList<>();
        if (c.keyword("WHERE")) {
            int whereStart = c.peekStart(cql.length());
            do {
                Token col = c.next();
                if (col == null || !col.isName() || isReserved(col) || c.peekIs("(")) {
                    return null; // token(...), a tuple, a function
                }
                String op = operator(c);
                if (op == null) {
                    return null;
                }
                int termStart = c.peekStart(cql.length());
                if (!c.skipTerm()) {
                    return null;
                }
                relations.add(new Relation(col.name(), op, cql.substring(termStart, c.previousEnd()).trim()));
            } while (c.keyword("AND"));
            where = cql.substring(whereStart, c.previousEnd()).trim();
        }
        String orderBy = "";
        if (c.keyword("ORDER")) {
            if (!c.keyword("BY")) {
                return null;
            }
            int start = c.peekStart(cql.length());
            do {
                Token col = c.next();
                if (col == null || !col.isName()) {
                    return null;
                }
                if (!c.keyword("ASC")) {
                    c.keyword("DESC");
                }
            } while (c.symbol(","));
            orderBy = cql.substring(start, c.previousEnd()).trim();
        }
        c.symbol(";");
        if (!c.atEnd()) {
            return null; // LIMIT, GROUP BY, ALLOW FILTERING, PER PARTITION LIMIT, a second statement
        }
        return new SimpleSelect(List.copyOf(columns), table, keyspace, tableToken.name(), where, List.copyOf(relations), orderBy);
    }

    private static String operator(Cursor c) {
        for (String op : new String[] {"<=", ">=", "=", "<", ">"}) {
            if (c.symbol(op)) {
                return op;
            }
        }
        return c.keyword("IN") ? "IN" : null;
    }

    private static final List<String> RESERVED = List.of("SELECT", "FROM", "WHERE", "AND", "DISTINCT", "JSON", "AS",
            "ORDER", "BY", "LIMIT", "GROUP", "ALLOW", "FILTERING", "PER", "PARTITION", "IN", "TOKEN", "CAST");

    static boolean isReserved(Token t) {
        return !t.quoted && RESERVED.contains(t.text.toUpperCase(Locale.ROOT));
    }

    // ---- tokens

    /** A word, a quoted name, a literal or a symbol, with where it lies in the text. */
    record Token(String text, int start, int end, boolean quoted, boolean literal) {
        boolean isName() {
            return !literal && (quoted || CqlLexer.isIdentifierChar(text.charAt(0)) && !Character.isDigit(text.charAt(0)));
        }

        /** The internal form: a quoted name as written (quotes undone), an unquoted one lower-cased. */
        String name() {
            return quoted ? text.substring(1, text.length() - 1).replace("\"\"", "\"") : text.toLowerCase(Locale.ROOT);
        }
    }

    /** Null when the text has an unterminated literal or a character CQL's SELECT cannot hold. */
    static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            i = CqlLexer.skipBlank(s, i);
            if (i >= n) {
                return out;
            }
            char ch = s.charAt(i);
            if (ch == '\'' || ch == '"' || (ch == '$' && i + 1 < n && s.charAt(i + 1) == '$')) {
                int end = CqlLexer.skipNonCode(s, i);
                if (end > n || end - i < 2 || s.charAt(end - 1) != (ch == '"' ? '"' : ch == '$' ? '$' : '\'')) {
                    return null;
                }
                out.add(new Token(s.substring(i, end), i, end, ch == '"', ch != '"'));
                i = end;
            } else if (CqlLexer.isIdentifierChar(ch)) {
                int j = i;
                // words and numbers; '-' and '.' inside keep uuids, decimals and exponents one literal
                while (j < n && (CqlLexer.isIdentifierChar(s.charAt(j))
                        || ((s.charAt(j) == '-' || s.charAt(j) == '.' || s.charAt(j) == '+') && Character.isDigit(ch)))) {
                    j++;
                }
                out.add(new Token(s.substring(i, j), i, j, false, Character.isDigit(ch)));
                i = j;
            } else if ((ch == '<' || ch == '>') && i + 1 < n && s.charAt(i + 1) == '=') {
                out.add(new Token(s.substring(i, i + 2), i, i + 2, false, false));
                i += 2;
            } else if ("(),.;=<>-*?:[]{}".indexOf(ch) >= 0) {
                out.add(new Token(String.valueOf(ch), i, i + 1, false, false));
                i++;
            } else {
                return null;
            }
        }
    }

    static final class Cursor {
        private final List<Token> tokens;
        private int at;

        Cursor(List<Token> tokens) {
            this.tokens = tokens;
        }

        Token next() {
            return at < tokens.size() ? tokens.get(at++) : null;
        }

        boolean atEnd() {
            return at >= tokens.size();
        }

        boolean peekIs(String symbol) {
            return at < tokens.size() && !tokens.get(at).quoted && !tokens.get(at).literal && tokens.get(at).text.equals(symbol);
        }

        int peekStart(int dflt) {
            return at < tokens.size() ? tokens.get(at).start : dflt;
        }

        int previousEnd() {
            return tokens.get(at - 1).end;
        }

        boolean symbol(String s) {
            if (peekIs(s)) {
                at++;
                return true;
            }
            return false;
        }

        boolean keyword(String k) {
            if (at < tokens.size() && !tokens.get(at).quoted && !tokens.get(at).literal && tokens.get(at).text.equalsIgnoreCase(k)) {
                at++;
                return true;
            }
            return false;
        }

        /**
         * Skips one term: a literal, a signed number, a parenthesised list, or a word such as true/null (a function
         * call is not a term here). False when there is none.
         */
        boolean skipTerm() {
            if (symbol("(")) {
                int depth = 1;
                while (depth > 0) {
                    Token t = next();
                    if (t == null) {
                        return false;
                    }
                    if (!t.quoted && !t.literal && t.text.equals("(")) {
                        depth++;
                    } else if (!t.quoted && !t.literal && t.text.equals(")")) {
                        depth--;
                    } else if (!t.literal && !t.quoted && (t.text.equals("?") || t.text.equals(":"))) {
                        return false;
                    }
                }
                return true;
            }
            symbol("-");
            Token t = next();
            if (t == null || t.quoted || (!t.literal && !CqlLexer.isIdentifierChar(t.text.charAt(0)))) {
                return false;
            }
            return !peekIs("(") && !peekIs("."); // not now(), not ks.fn()
        }
    }
}
