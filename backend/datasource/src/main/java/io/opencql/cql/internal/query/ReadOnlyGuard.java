package io.opencql.cql.internal.query;

import io.opencql.cql.internal.kernel.QueryException;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps a read-only data source (setting {@code readOnly}, on by default) to reads, and keeps every data
 * source to one statement per query.
 *
 * <p>Allowed when read-only, by the first keyword after leading whitespace and comments:
 * <ul>
 *   <li>{@code SELECT} (including {@code SELECT JSON} / {@code SELECT DISTINCT});</li>
 *   <li>{@code DESCRIBE} / {@code DESC} (server-side since Cassandra 4.0: schema as rows);</li>
 *   <li>{@code LIST} ({@code LIST ROLES}, {@code LIST USERS}, {@code LIST ALL PERMISSIONS …}, {@code LIST …
 *       PERMISSIONS}): reads of the auth schema that the node authorises for the user anyway.</li>
 * </ul>
 * Everything else ({@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code BATCH}, {@code TRUNCATE}, DDL,
 * {@code GRANT}/{@code REVOKE}, role and user management, …) is refused before it reaches the node.
 *
 * <p>Always refused, read-only or not: {@code USE}, because the driver applies it to the whole session, which
 * every query of the data source shares (use qualified table names or the {@code keyspace} setting), and more
 * than one statement in one query.
 */
final class ReadOnlyGuard {

    static final Set<String> READS = Set.of("SELECT", "DESCRIBE", "DESC", "LIST");

    private ReadOnlyGuard() {
    }

    /**
     * @throws QueryException 400 when the statement is not allowed
     */
    static void check(String cql, boolean readOnly) {
        String keyword = firstKeyword(cql);
        if (keyword.isEmpty()) {
            throw QueryException.badRequest("the query has no CQL statement");
        }
        if (keyword.equals("USE")) {
            throw QueryException.badRequest("USE refused: it would switch the keyspace of the session every query of this data source"
                    + " shares; qualify table names (keyspace.table) or set the data source's keyspace (setting keyspace)");
        }
        if (readOnly && !READS.contains(keyword)) {
            throw QueryException.badRequest(keyword + " refused: the data source is read-only (setting readOnly);"
                    + " only SELECT, DESCRIBE and LIST statements run");
        }
        // a BATCH is one statement whose parts end in ';' (the node still rejects anything after APPLY BATCH)
        int sep = keyword.equals("BEGIN") ? -1 : statementSeparator(cql);
        if (sep >= 0) {
            throw QueryException.badRequest("more than one statement refused: a query runs one CQL statement (found ';' at offset "
                    + sep + " followed by more text)");
        }
    }

    /** The first words of CQL's other statements (Cassandra 5, ScyllaDB): refused as writes without asking the node. */
    static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "BEGIN", "APPLY", "TRUNCATE", "CREATE", "ALTER", "DROP",
            "GRANT", "REVOKE", "ADD", "ATTACH", "DETACH", "PRUNE");

    /**
     * True when {@link #check} would refuse {@code cql} as a write of a read-only data source although its first word
     * begins no CQL statement: most likely a typo, which the node's parser describes better than a refusal would.
     */
    static boolean refusesUnknownStatement(String cql, boolean readOnly) {
        String keyword = firstKeyword(cql);
        return readOnly && !keyword.isEmpty() && !keyword.equals("USE") && !READS.contains(keyword) && !WRITES.contains(keyword);
    }

    /** True for the statements a read-only data source allows: they change nothing, so running one twice is harmless. */
    static boolean isRead(String cql) {
        return READS.contains(firstKeyword(cql));
    }

    /** The first word of the statement, upper case; empty when there is none. */
    static String firstKeyword(String cql) {
        int i = CqlLexer.skipBlank(cql, 0);
        int start = i;
        while (i < cql.length() && Character.isLetter(cql.charAt(i))) {
            i++;
        }
        return cql.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /**
     * Offset of a {@code ;} in code that is followed by more than whitespace and comments (a second
     * statement), or -1. A single trailing {@code ;} is fine.
     */
    static int statementSeparator(String cql) {
        int n = cql.length();
        int i = 0;
        while (i < n) {
            int skip = CqlLexer.skipNonCode(cql, i);
            if (skip > 0) {
                i = skip;
                continue;
            }
            if (cql.charAt(i) == ';') {
                int rest = CqlLexer.skipBlank(cql, i + 1);
                while (rest < n && cql.charAt(rest) == ';') {
                    rest = CqlLexer.skipBlank(cql, rest + 1);
                }
                return rest < n ? i : -1;
            }
            i++;
        }
        return -1;
    }
}
