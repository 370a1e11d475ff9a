package io.opencql.cql.internal.query;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a SELECT that can be read as one statement per partition ({@link PartitionReads}): {@code *} or plain
 * columns (each optionally {@code AS alias}) from one table, a WHERE of {@code column op term} relations joined by
 * AND, where {@code IN} lists hold only literals, then optionally {@code PER PARTITION LIMIT n}, {@code LIMIT n},
 * {@code ALLOW FILTERING}. Anything else (functions and aggregates, DISTINCT, JSON, GROUP BY, ORDER BY, bind markers,
 * token or tuple relations, several statements) is not this shape: {@link #parse} gives null and the query runs as
 * one statement, as it always did. Which IN (if any) names the partition key is for {@link PartitionReads} to decide
 * with the table's metadata; this class only reads text.
 *
 * @param keyspace  the keyspace named before the table (internal form), or null
 * @param table     the table's name (internal form)
 * @param relations the WHERE clause's relations, in order
 * @param limit     the {@code LIMIT}'s value, or -1 when there is none
 */
record InSplit(String keyspace, String table, List<Relation> relations, long limit) {

    /**
     * @param column   the restricted column (internal form)
     * @param operator {@code IN}, or the operator as written ({@code =}, {@code <}, ...)
     * @param values   an IN list's literals as written (a negative number with its sign); for other operators the term
     *                 as written
     * @param start    where the relation starts in the statement's text (its column)
     * @param columnEnd where the column's name ends
     * @param end      where the relation ends (after an IN list's closing parenthesis)
     */
    record Relation(String column, String operator, List<String> values, int start, int columnEnd, int end) {
    }

    /** Null when {@code cql} is not the shape described above. */
    static InSplit parse(String cql) {
        List<SimpleSelect.Token> t = SimpleSelect.tokens(cql);
        if (t == null) {
            return null;
        }
        SimpleSelect.Cursor c = new SimpleSelect.Cursor(t);
        if (!c.keyword("SELECT")) {
            return null;
        }
        if (!c.symbol("*")) {
            do {
                SimpleSelect.Token col = c.next();
                if (col == null || !col.isName() || SimpleSelect.isReserved(col) || c.peekIs("(") || c.peekIs(".")) {
                    return null; // a function or aggregate, DISTINCT, JSON: rows of one statement are not rows of several
                }
                if (c.keyword("AS")) {
                    SimpleSelect.Token alias = c.next();
                    if (alias == null || !alias.isName()) {
                        return null;
                    }
                }
            } while (c.symbol(","));
        }
        if (!c.keyword("FROM")) {
            return null;
        }
        SimpleSelect.Token first = c.next();
        if (first == null || !first.isName() || SimpleSelect.isReserved(first)) {
            return null;
        }
        String keyspace = null;
        SimpleSelect.Token tableToken = first;
        if (c.symbol(".")) {
            tableToken = c.next();
            if (tableToken == null || !tableToken.isName()) {
                return null;
            }
            keyspace = first.name();
        }
        if (!c.keyword("WHERE")) {
            return null;
        }
        List<Relation> relations = new ArrayList<>();
        do {
            SimpleSelect.Token col = c.next();
            if (col == null || !col.isName() || SimpleSelect.isReserved(col) || c.peekIs("(")) {
                return null; // token(...), a tuple, a function
            }
            Relation r = c.keyword("IN") ? inList(c, col) : comparison(cql, c, col);
            if (r == null) {
                return null;
            }
            relations.add(r);
        } while (c.keyword("AND"));
        if (c.keyword("PER")) {
            if (!c.keyword("PARTITION") || !c.keyword("LIMIT") || number(c.next()) < 0) {
                return null;
            }
        }
        long limit = -1;
        if (c.keyword("LIMIT")) {
            limit = number(c.next());
            if (limit < 0) {
                return null;
            }
        }
        if (c.keyword("ALLOW") && !c.keyword("FILTERING")) {
            return null;
        }
        c.symbol(";");
        if (!c.atEnd()) {
            return null; // ORDER BY, GROUP BY, a bind marker as a limit, a second statement
        }
        return new InSplit(keyspace, tableToken.name(), List.copyOf(relations), limit);
    }

    /** {@code ( literal [, literal]* )} after IN; null for anything else (a bind marker, a function, a word). */
    private static Relation inList(SimpleSelect.Cursor c, SimpleSelect.Token col) {
        if (!c.symbol("(")) {
            return null;
        }
        List<String> values = new ArrayList<>();
        do {
            boolean negative = c.symbol("-");
            SimpleSelect.Token v = c.next();
            if (v == null || !v.literal() || (negative && v.text().charAt(0) == '\'')) {
                return null;
            }
            values.add(negative ? "-" + v.text() : v.text());
        } while (c.symbol(","));
        if (!c.symbol(")")) {
            return null;
        }
        return new Relation(col.name(), "IN", List.copyOf(values), col.start(), col.end(), c.previousEnd());
    }

    private static Relation comparison(String cql, SimpleSelect.Cursor c, SimpleSelect.Token col) {
        String op = null;
        for (String o : new String[] {"<=", ">=", "=", "<", ">"}) {
            if (c.symbol(o)) {
                op = o;
                break;
            }
        }
        int termStart = c.peekStart(cql.length());
        if (op == null || !c.skipTerm()) {
            return null; // CONTAINS, LIKE, !=, a bind marker: left to the single statement
        }
        return new Relation(col.name(), op, List.of(cql.substring(termStart, c.previousEnd()).trim()), col.start(), col.end(),
                c.previousEnd());
    }

    /** A non-negative whole number token's value; -1 for anything else. */
    private static long number(SimpleSelect.Token t) {
        if (t == null || !t.literal() || !t.text().chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The statement with relation {@code r} (an IN) replaced by {@code column = value}: one partition's statement. */
    static String withEquality(String cql, Relation r, String value) {
        return cql.substring(0, r.columnEnd()) + " = " + value + cql.substring(r.end());
    }
}
