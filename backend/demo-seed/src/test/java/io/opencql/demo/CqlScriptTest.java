package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CqlScriptTest {

    @Test
    void splitsOnSemicolonsOutsideLiteralsAndComments() {
        List<CqlScript.Statement> s = CqlScript.parse("""
                -- a comment; with a semicolon
                INSERT INTO demo.t (a, b) VALUES ('x;y', 'it''s; fine');
                /* block; comment */ SELECT "we;ird" FROM demo.t; // trailing; comment
                UPDATE demo.t SET c = $$dollar;quoted$$ WHERE a = 'x';
                """, "demo");
        assertEquals(3, s.size());
        assertEquals("INSERT INTO demo.t (a, b) VALUES ('x;y', 'it''s; fine')", s.get(0).cql());
        assertEquals("SELECT \"we;ird\" FROM demo.t", s.get(1).cql());
        assertEquals("UPDATE demo.t SET c = $$dollar;quoted$$ WHERE a = 'x'", s.get(2).cql());
    }

    @Test
    void optionalMarkerAppliesToTheNextStatementOnly() {
        List<CqlScript.Statement> s = CqlScript.parse("""
                -- statements marked @optional may fail: not a marker, the text does not start with it
                CREATE TABLE demo.a (k int PRIMARY KEY);
                -- @optional needs a newer server
                ALTER TABLE demo.a ADD v vector<float, 3>;
                CREATE TABLE demo.b (k int PRIMARY KEY);
                /* @optional */ CREATE TABLE demo.c (k int PRIMARY KEY);
                """, "demo");
        assertEquals(List.of(false, true, false, true), s.stream().map(CqlScript.Statement::optional).toList());
    }

    @Test
    void renamesTheKeyspaceInIdentifiersButNotInLiterals() {
        List<CqlScript.Statement> s = CqlScript.parse("""
                CREATE KEYSPACE IF NOT EXISTS demo WITH replication = {'class': 'SimpleStrategy'};
                CREATE TABLE IF NOT EXISTS demo.t (k text PRIMARY KEY, demo_col int);
                INSERT INTO demo.t (k) VALUES ('see demo.t and demo');
                SELECT * FROM mydemo.t;
                """, "it_run_1");
        assertEquals("CREATE KEYSPACE IF NOT EXISTS it_run_1 WITH replication = {'class': 'SimpleStrategy'}",
                s.get(0).cql());
        assertTrue(s.get(0).isCreateKeyspace());
        assertEquals("CREATE TABLE IF NOT EXISTS it_run_1.t (k text PRIMARY KEY, demo_col int)", s.get(1).cql());
        assertEquals("INSERT INTO it_run_1.t (k) VALUES ('see demo.t and demo')", s.get(2).cql());
        assertEquals("SELECT * FROM mydemo.t", s.get(3).cql());
        assertFalse(s.get(1).isCreateKeyspace());
    }

    @Test
    void rejectsBrokenInput() {
        assertThrows(IllegalArgumentException.class, () -> CqlScript.parse("SELECT 'open;", "demo"));
        assertThrows(IllegalArgumentException.class, () -> CqlScript.parse("SELECT 1", "demo"));
        assertThrows(IllegalArgumentException.class, () -> CqlScript.parse("SELECT 1;", "bad-name"));
        assertThrows(IllegalArgumentException.class, () -> CqlScript.parse("SELECT 1;", "x; DROP"));
    }

    @Test
    void bundledSchemaHasEveryTableAndTheOptionalVectorColumn() {
        List<CqlScript.Statement> s = CqlScript.resource(DemoSeed.SCHEMA_RESOURCE, "demo");
        assertTrue(s.get(0).isCreateKeyspace(), "the keyspace comes first");
        String all = String.join("\n", s.stream().map(CqlScript.Statement::cql).toList());
        for (String table : List.of("demo.sensors", "demo.sensor_readings", "demo.events", "demo.all_types",
                "demo.page_hits", "TYPE IF NOT EXISTS demo.address")) {
            assertTrue(all.contains(table), table);
        }
        List<CqlScript.Statement> optional = s.stream().filter(CqlScript.Statement::optional).toList();
        assertEquals(1, optional.size());
        assertTrue(optional.get(0).cql().contains("vector<float, 3>"));
    }

    @Test
    void allTypesTableHasAColumnOfEveryCqlType() {
        String schema = String.join("\n", CqlScript.resource(DemoSeed.SCHEMA_RESOURCE, "demo").stream()
                .map(CqlScript.Statement::cql).toList());
        for (String type : List.of("ascii", "bigint", "blob", "boolean", "date", "decimal", "double", "duration",
                "float", "inet", "int", "smallint", "text", "time", "timestamp", "timeuuid", "tinyint", "uuid",
                "varchar", "varint", "list<int>", "set<text>", "map<text, int>", "frozen<map<text, frozen<list<int>>>>",
                "list<frozen<set<text>>>", "tuple<int, text>", "frozen<address>", "vector<float, 3>", "counter")) {
            assertTrue(schema.matches("(?s).*\\s" + java.util.regex.Pattern.quote(type) + "[,;\\s].*"), type);
        }
    }

    @Test
    void allTypesRowsParseAndCoverNullsAndVectors() {
        List<CqlScript.Statement> s = CqlScript.resource(DemoSeed.ALL_TYPES_RESOURCE, "demo");
        long inserts = s.stream().filter(x -> x.cql().startsWith("INSERT")).count();
        assertEquals(4, inserts);
        assertTrue(s.stream().filter(x -> x.cql().contains("c_vector")).allMatch(CqlScript.Statement::optional),
                "vector writes must be optional: not every server has the type");
        assertTrue(s.stream().anyMatch(x -> x.cql().contains("(3, 'only id and text")), "a row of NULLs");
    }
}
