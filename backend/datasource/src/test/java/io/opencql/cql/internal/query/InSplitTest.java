package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which SELECTs may be read one partition at a time, and the node's partition order (found on Cassandra 5.0.9). */
class InSplitTest {

    @Test
    void findsTheInListAndRewritesItAsOnePartitionsEquality() {
        String cql = "SELECT ts, v AS value FROM ks.t WHERE p IN (3, -1, 'x''y') AND ts >= 10 AND ts < 20 PER PARTITION LIMIT 5 LIMIT 7 ALLOW FILTERING;";
        InSplit s = InSplit.parse(cql);
        assertNotNull(s);
        assertEquals("ks", s.keyspace());
        assertEquals("t", s.table());
        assertEquals(7, s.limit());
        InSplit.Relation in = s.relations().get(0);
        assertEquals("p", in.column());
        assertEquals("IN", in.operator());
        assertEquals(List.of("3", "-1", "'x''y'"), in.values());
        assertEquals(List.of(">=", "<"), s.relations().subList(1, 3).stream().map(InSplit.Relation::operator).toList());
        assertEquals("SELECT ts, v AS value FROM ks.t WHERE p = -1 AND ts >= 10 AND ts < 20 PER PARTITION LIMIT 5 LIMIT 7 ALLOW FILTERING;",
                InSplit.withEquality(cql, in, "-1"));
        assertEquals(-1, InSplit.parse("select * from t where \"P\" in ('a','b')").limit());
        assertEquals("P", InSplit.parse("select * from t where \"P\" in ('a','b')").relations().get(0).column());
    }

    @Test
    void refusesWhatOneStatementPerPartitionWouldAnswerDifferently() {
        for (String cql : List.of(
                "SELECT count(*) FROM t WHERE p IN (1, 2)",             // an aggregate over all partitions
                "SELECT max(v) FROM t WHERE p IN (1, 2)",
                "SELECT DISTINCT p FROM t WHERE p IN (1, 2)",
                "SELECT JSON p FROM t WHERE p IN (1, 2)",
                "SELECT p, v FROM t WHERE p IN (1, 2) GROUP BY p",
                "SELECT p, v FROM t WHERE p IN (1, 2) ORDER BY c DESC", // the node merges by c across partitions
                "SELECT p FROM t WHERE p IN ?",                         // bind markers: values unknown here
                "SELECT p FROM t WHERE p IN (?, ?)",
                "SELECT p FROM t WHERE p IN (:a, 2)",
                "SELECT p FROM t WHERE p IN (now(), 2)",
                "SELECT p FROM t WHERE p IN (1, 2) LIMIT ?",
                "SELECT p FROM t WHERE token(p) > 3 AND p IN (1, 2)",
                "SELECT p FROM t WHERE (a, b) IN ((1, 2))",
                "SELECT p FROM t WHERE p IN (1, 2); SELECT p FROM t",
                "SELECT p FROM t",
                "INSERT INTO t (p) VALUES (1)",
                "SELECT p FROM t WHERE p IN (1, 2",
                "SELECT p FROM t WHERE p IN ('a)")) {
            assertNull(InSplit.parse(cql), cql);
        }
    }

    static List<String> order(com.datastax.oss.driver.api.core.type.DataType type, String... literals) {
        List<PartitionOrder.Key> keys = PartitionOrder.of(type, List.of(literals), ProtocolVersion.V5);
        return keys == null ? null : keys.stream().map(PartitionOrder.Key::literal).toList();
    }

    @Test
    void ordersPartitionsAsTheNodeDoesEachOnce() {
        // what Cassandra 5.0.9 answered for these IN lists (docs/reference.md, "Partition reads")
        assertEquals(List.of("-5", "-1", "1", "2", "3", "7", "100"), order(DataTypes.INT, "3", "1", "2", "-5", "100", "7", "-1", "3", "1"));
        assertEquals(List.of("-5", "-1", "1", "2", "3", "7", "100"), order(DataTypes.BIGINT, "3", "1", "2", "-5", "100", "7", "-1", "3", "1"));
        assertEquals(List.of("'A'", "'a'", "'aa'", "'b'", "'c'", "'zz'", "'é'"),
                order(DataTypes.TEXT, "'b'", "'a'", "'c'", "'zz'", "'A'", "'é'", "'aa'", "'a'"));
        assertEquals(List.of("'1960-01-01T00:00:00Z'", "-1000", "0", "'2024-01-01T00:00:00Z'", "'2024-01-02 00:00:00+0000'"),
                order(DataTypes.TIMESTAMP, "'2024-01-02 00:00:00+0000'", "'2024-01-01T00:00:00Z'", "0", "'1960-01-01T00:00:00Z'",
                        "-1000", "1704067200000"));
        assertEquals(List.of("'2024-01-01'", "'2024-01-02'", "'2024-02-01'"), order(DataTypes.DATE, "'2024-02-01'", "'2024-01-01'", "'2024-01-02'"));
        // UTF-8 byte order, not Java's UTF-16 order: U+FFFD (EF BF BD) before U+1F600 (F0 9F 98 80), though its char is larger
        assertEquals(List.of("'\uFFFD'", "'\uD83D\uDE00'"), order(DataTypes.TEXT, "'\uD83D\uDE00'", "'\uFFFD'"));
    }

    @Test
    void leavesToTheNodeWhatItCannotOrderExactly() {
        assertNull(order(DataTypes.TIMESTAMP, "'2024-01-01'", "'2024-01-02'")); // no zone: the node's zone decides the instant
        assertNull(order(DataTypes.UUID, "6ab09bec-e68e-48d9-a5f8-97e6fb4c9b47", "1ab09bec-e68e-48d9-a5f8-97e6fb4c9b47"));
        assertNull(order(DataTypes.DOUBLE, "1.5", "2.5"));
        assertNull(order(DataTypes.INT, "1", "'x'")); // the node says what is wrong
    }
}
