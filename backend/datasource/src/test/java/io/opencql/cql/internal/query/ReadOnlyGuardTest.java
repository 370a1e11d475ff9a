package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.opencql.cql.internal.kernel.QueryException;
import org.junit.jupiter.api.Test;

class ReadOnlyGuardTest {

    static String refused(String cql, boolean readOnly) {
        QueryException e = assertThrows(QueryException.class, () -> ReadOnlyGuard.check(cql, readOnly));
        assertEquals(400, e.status());
        assertEquals("downstream", e.source().wire());
        return e.getMessage();
    }

    @Test
    void readsAreAllowed() {
        for (String cql : new String[] {
                "SELECT * FROM t", "select json * from t;", "  \n\tSelect a FROM t ;  ; \n", "-- a comment\nSELECT 1 FROM t",
                "/* DROP TABLE t; */ SELECT a FROM t // ; DROP\n", "DESCRIBE KEYSPACES", "desc table t", "LIST ROLES", "LIST USERS",
                "LIST ALL PERMISSIONS OF bob", "SELECT * FROM t WHERE a = 'x; DROP TABLE t'", "SELECT \"we;ird\" FROM t",
                "SELECT * FROM t WHERE a = $$ ; $$"}) {
            assertDoesNotThrow(() -> ReadOnlyGuard.check(cql, true), cql);
        }
    }

    @Test
    void writesAndSchemaChangesAreRefusedWhenReadOnly() {
        assertEquals("INSERT refused: the data source is read-only (setting readOnly); only SELECT, DESCRIBE and LIST statements run",
                refused("INSERT INTO t (a) VALUES (1)", true));
        for (String kw : new String[] {"UPDATE t SET a = 1 WHERE k = 1", "DELETE FROM t WHERE k = 1", "TRUNCATE t", "DROP TABLE t",
                "CREATE TABLE x (a int PRIMARY KEY)", "ALTER TABLE t ADD b int", "BEGIN BATCH INSERT INTO t (a) VALUES (1); APPLY BATCH",
                "GRANT SELECT ON t TO bob", "REVOKE ALL ON t FROM bob", "CREATE ROLE bob", "/* SELECT */ DROP KEYSPACE k", "-- SELECT\nDROP TABLE t"}) {
            String first = kw.replaceAll("^(/\\*.*?\\*/|--[^\\n]*\\n)\\s*", "").split(" ")[0];
            assertEquals(first + " refused: the data source is read-only (setting readOnly); only SELECT, DESCRIBE and LIST statements run",
                    refused(kw, true), kw);
        }
    }

    @Test
    void writesRunWhenNotReadOnly() {
        assertDoesNotThrow(() -> ReadOnlyGuard.check("INSERT INTO t (a) VALUES (1);", false));
        assertDoesNotThrow(() -> ReadOnlyGuard.check("BEGIN BATCH INSERT INTO t (a) VALUES (1); INSERT INTO t (a) VALUES (2); APPLY BATCH;", false));
    }

    @Test
    void moreThanOneStatementIsRefusedAlways() {
        assertEquals("more than one statement refused: a query runs one CQL statement (found ';' at offset 15 followed by more text)",
                refused("SELECT * FROM t; DROP TABLE t", true));
        assertEquals("more than one statement refused: a query runs one CQL statement (found ';' at offset 15 followed by more text)",
                refused("SELECT * FROM t; SELECT * FROM u", false));
    }

    @Test
    void useIsRefusedAlways() {
        String msg = refused("USE other", false);
        assertEquals("USE refused: it would switch the keyspace of the session every query of this data source shares;"
                + " qualify table names (keyspace.table) or set the data source's keyspace (setting keyspace)", msg);
        assertEquals(msg, refused(" use other;", true));
    }

    @Test
    void emptyStatement() {
        assertEquals("the query has no CQL statement", refused("-- only a comment", true));
    }

    @Test
    void readsAreTheIdempotentStatements() {
        for (String cql : new String[] {"SELECT * FROM t", "/* x */ select 1 FROM t", "DESC KEYSPACES", "LIST ROLES"}) {
            assertEquals(true, ReadOnlyGuard.isRead(cql), cql);
        }
        for (String cql : new String[] {"UPDATE c SET n = n + 1 WHERE k = 1", "INSERT INTO t (a) VALUES (1)",
                "BEGIN BATCH INSERT INTO t (a) VALUES (1); APPLY BATCH", "SELEC * FROM t", ""}) {
            assertEquals(false, ReadOnlyGuard.isRead(cql), cql);
        }
    }

    @Test
    void onlyUnknownFirstWordsOfAReadOnlySourceGoToTheParser() {
        assertEquals(true, ReadOnlyGuard.refusesUnknownStatement("SELEC * FROM t", true));
        assertEquals(true, ReadOnlyGuard.refusesUnknownStatement("INSER INTO t (a) VALUES (1)", true));
        assertEquals(false, ReadOnlyGuard.refusesUnknownStatement("INSERT INTO t (a) VALUES (1)", true));
        assertEquals(false, ReadOnlyGuard.refusesUnknownStatement("SELEC * FROM t", false));
        assertEquals(false, ReadOnlyGuard.refusesUnknownStatement("SELECT * FROM t", true));
        assertEquals(false, ReadOnlyGuard.refusesUnknownStatement("USE ks", true));
        assertEquals(false, ReadOnlyGuard.refusesUnknownStatement("-- nothing", true));
    }
}
