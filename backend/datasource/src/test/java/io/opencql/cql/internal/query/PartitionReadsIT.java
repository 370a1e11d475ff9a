package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.Frame;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Setting partitionReads: a query whose IN names several partitions, read one statement per partition, answers
 * frame for frame what the single statement answers (partitionReads 0) — rows, their order, fields, types,
 * notices, row limit, failures — and never has more than partitionReads requests on the wire.
 */
class PartitionReadsIT {

    static final long DAY = 86_400_000L;
    static final long T0 = Instant.parse("2024-05-01T00:00:00Z").toEpochMilli();

    /** The shared session, whose request-id hook and tracker count the pages a query fetched (TestNode). */
    static CqlSession tracked;

    @BeforeAll
    static void data() {
        CqlSession s = TestNode.session();
        tracked = s;
        s.execute("DROP TABLE IF EXISTS pr_int");
        s.execute("CREATE TABLE pr_int (p int, c int, v double, t text, PRIMARY KEY (p, c))");
        s.execute("DROP TABLE IF EXISTS pr_text");
        s.execute("CREATE TABLE pr_text (p text, c int, v double, PRIMARY KEY (p, c)) WITH CLUSTERING ORDER BY (c DESC)");
        s.execute("DROP TABLE IF EXISTS pr_ts");
        s.execute("CREATE TABLE pr_ts (p timestamp, c int, v double, PRIMARY KEY (p, c))");
        s.execute("DROP TABLE IF EXISTS pr_day");
        s.execute("CREATE TABLE pr_day (sensor text, day date, ts timestamp, value double, PRIMARY KEY ((sensor, day), ts))");
        // partitions of different sizes (with pageSize 4: none, part of one page, exactly pages, several pages)
        int[][] intSizes = {{-3, 7}, {0, 4}, {2, 23}, {5, 1}, {9, 12}, {100, 8}}; // 1 and 7: no rows
        String[][] textKeys = {{"b", "9"}, {"a", "4"}, {"A", "1"}, {"é", "13"}, {"zz", "6"}}; // 'c': no rows
        long[] tsKeys = {-1000, 0, T0, T0 + DAY, Instant.parse("1960-01-01T00:00:00Z").toEpochMilli()};
        batch(s, "INSERT INTO pr_int (p, c, v, t) VALUES (?, ?, ?, ?)", intSizes.length, i -> intSizes[i][1],
                (i, c) -> new Object[] {intSizes[i][0], c, intSizes[i][0] * 100.0 + c, c % 3 == 0 ? null : "r" + c});
        batch(s, "INSERT INTO pr_text (p, c, v) VALUES (?, ?, ?)", textKeys.length, i -> Integer.parseInt(textKeys[i][1]),
                (i, c) -> new Object[] {textKeys[i][0], c, i * 100.0 + c});
        batch(s, "INSERT INTO pr_ts (p, c, v) VALUES (?, ?, ?)", tsKeys.length, i -> 3 + 2 * i,
                (i, c) -> new Object[] {Instant.ofEpochMilli(tsKeys[i]), c, i * 100.0 + c});
        // five days, a point every 3 hours; 2024-05-03 is empty
        batch(s, "INSERT INTO pr_day (sensor, day, ts, value) VALUES (?, ?, ?, ?)", 5, d -> d == 2 ? 0 : 8,
                (d, k) -> new Object[] {"s1", java.time.LocalDate.of(2024, 5, 1 + d), Instant.ofEpochMilli(T0 + d * DAY + k * 3 * 3_600_000L),
                        d * 10.0 + k});
    }

    interface Rows {
        int count(int partition);
    }

    interface Values {
        Object[] of(int partition, int row);
    }

    static void batch(CqlSession s, String insert, int partitions, Rows rows, Values values) {
        PreparedStatement ps = s.prepare(insert);
        for (int i = 0; i < partitions; i++) {
            var b = BatchStatement.builder(BatchType.UNLOGGED);
            for (int c = 0; c < rows.count(i); c++) {
                b.addStatement(ps.bind(values.of(i, c)));
            }
            if (rows.count(i) > 0) {
                s.execute(b.build());
            }
        }
    }

    static CqlSettings settings(int partitionReads, int pageSize, long rowLimit, Duration timeout) {
        return TestNode.settings(true, pageSize, rowLimit, timeout).withPartitionReads(partitionReads);
    }

    static DataResponse run(CqlSettings settings, String cql, String extra, RequestContext rc) {
        return TestNode.answer(new CqlQueries(), new TestNode.Instance(settings, () -> tracked),
                TestNode.query("A", TestNode.model(cql, extra), T0, T0 + 5 * DAY - 1), PluginContext.forDataSource(null), rc);
    }

    static DataResponse run(int partitionReads, int pageSize, long rowLimit, String cql, String extra) {
        return run(settings(partitionReads, pageSize, rowLimit, Duration.ofSeconds(30)), cql, extra, RequestContext.NONE);
    }

    /** Field for field, value for value: names, types, labels, config, every cell; and the meta (notices, executed CQL). */
    static void assertSameFrames(DataResponse single, DataResponse split, String what) {
        assertEquals(single.status(), split.status(), what);
        assertEquals(single.error(), split.error(), what);
        assertEquals(single.frames().size(), split.frames().size(), what);
        for (int k = 0; k < single.frames().size(); k++) {
            Frame a = single.frames().get(k);
            Frame b = split.frames().get(k);
            assertEquals(a.name(), b.name(), what);
            // FrameMeta holds an int[] (typeVersion), which a record compares by identity
            assertEquals(java.util.Arrays.toString(a.meta().typeVersion()), java.util.Arrays.toString(b.meta().typeVersion()), what);
            assertEquals(a.meta().toString().replaceAll("typeVersion=\\[I@[0-9a-f]+", ""),
                    b.meta().toString().replaceAll("typeVersion=\\[I@[0-9a-f]+", ""), what);
            assertEquals(a.fields().size(), b.fields().size(), what);
            assertEquals(a.rowCount(), b.rowCount(), what);
            for (int f = 0; f < a.fields().size(); f++) {
                Field x = a.field(f);
                Field y = b.field(f);
                assertEquals(x.name(), y.name(), what);
                assertEquals(x.type(), y.type(), what);
                assertEquals(x.labels(), y.labels(), what);
                assertEquals(x.config(), y.config(), what);
                for (int r = 0; r < a.rowCount(); r++) {
                    assertEquals(x.getObject(r), y.getObject(r), what + ": field " + x.name() + " row " + r);
                }
            }
        }
        single.closeFrames();
        split.closeFrames();
    }

    /** The query really is split (else the comparison would prove nothing). */
    static void assertSplit(String cql, int partitions) {
        PartitionReads.Split s = PartitionReads.split(tracked, cql);
        assertNotNull(s, cql);
        assertEquals(partitions, s.keys().size(), cql);
    }

    static final List<String> SPLIT_QUERIES = List.of(
            "SELECT * FROM pr_int WHERE p IN (9, 2, 1, -3, 100, 2, 7, 0, 5, 9)",
            "SELECT c, v AS value, p FROM pr_int WHERE p IN (100, 0, 9, -3) AND c >= 2 AND c < 11",
            "SELECT * FROM pr_int WHERE p IN (2, 9, -3) PER PARTITION LIMIT 5",
            "SELECT * FROM pr_text WHERE p IN ('zz', 'c', 'a', 'é', 'A', 'b', 'a')",
            "SELECT p, c, v FROM pr_ts WHERE p IN ('2024-05-02T00:00:00Z', 0, '1960-01-01 00:00:00+0000', -1000, 1714521600000, 0)");

    @Test
    void tablesAreTheSingleStatementsRowForRow() {
        for (String cql : SPLIT_QUERIES) {
            assertSplit(cql, cql.contains("pr_int WHERE p IN (9") ? 8 : cql.contains("pr_text") ? 6 : cql.contains("pr_ts") ? 5 : cql.contains("(100") ? 4 : 3);
            for (int pageSize : new int[] {4, 5000}) {
                for (int reads : new int[] {2, 4, 64}) {
                    assertSameFrames(run(0, pageSize, 1_000_000, cql, null), run(reads, pageSize, 1_000_000, cql, null),
                            cql + " pageSize " + pageSize + " partitionReads " + reads);
                }
            }
        }
    }

    @Test
    void theStatementsLimitCutsTheMergedRows() {
        String base = "SELECT * FROM pr_int WHERE p IN (9, 2, 1, -3, 100, 7, 0, 5)";
        for (int limit : new int[] {1, 6, 7, 8, 30, 55, 56, 57, 1000}) {
            String cql = base + " LIMIT " + limit;
            assertSplit(cql, 8);
            for (long rowLimit : new long[] {limit - 1, limit, limit + 1, 1_000_000}) {
                if (rowLimit < 1) {
                    continue;
                }
                assertSameFrames(run(0, 4, rowLimit, cql, null), run(3, 4, rowLimit, cql, null), cql + " rowLimit " + rowLimit);
            }
        }
    }

    @Test
    void rowLimitAtEveryRowAndPartitionBoundaryGivesTheSameNotice() {
        // 55 rows: -3 (7), 0 (4), 2 (23), 5 (1), 9 (12), 100 (8); partition boundaries after 7, 11, 34, 35, 47
        String cql = "SELECT * FROM pr_int WHERE p IN (100, 9, 5, 2, 1, 0, -3)";
        for (long rowLimit = 1; rowLimit <= 56; rowLimit++) {
            for (int pageSize : new int[] {4, 7}) {
                DataResponse single = run(0, pageSize, rowLimit, cql, null);
                DataResponse split = run(2, pageSize, rowLimit, cql, null);
                if (rowLimit == 55 || rowLimit == 56) {
                    assertEquals(List.of(), split.frames().get(0).meta().notices(), "exactly all rows: nothing was cut");
                }
                if (rowLimit == 54 || rowLimit == 47 || rowLimit == 11) {
                    assertEquals(1, split.frames().get(0).meta().notices().size(), "one row past the limit, in a later partition");
                }
                assertSameFrames(single, split, "rowLimit " + rowLimit + " pageSize " + pageSize);
            }
        }
    }

    @Test
    void timeBucketsAsTableAndTimeSeries() {
        String cql = "SELECT ts, value FROM pr_day WHERE sensor = 's1' AND day IN ($__timeBuckets(day)) AND $__timeFilter(ts)";
        String expanded = Macros.expand(cql, new io.opencql.grafana.backend.TimeRange(T0, T0 + 5 * DAY - 1), 1000);
        assertSplit(expanded, 5);
        for (String extra : new String[] {null, "\"format\":\"time_series\"", "\"format\":\"time_series\",\"timeGroup\":\"6h\",\"timeGroupOnNode\":false"}) {
            for (int pageSize : new int[] {3, 5000}) {
                DataResponse single = run(0, pageSize, 1_000_000, cql, extra);
                // 4 days × 8 points; grouped by 6 h: 4 × 4 buckets
                assertEquals(extra != null && extra.contains("6h") ? 16 : 32, single.frames().get(0).rowCount(), extra);
                assertSameFrames(single, run(4, pageSize, 1_000_000, cql, extra), cql + " " + extra + " pageSize " + pageSize);
            }
        }
    }

    /** Each partition's statement carries the routing key whose token the node itself gives that partition. */
    @Test
    void eachStatementIsRoutedToItsPartitionsToken() {
        var tokens = tracked.getMetadata().getTokenMap().orElseThrow();
        String day = Macros.expand("SELECT ts, value FROM pr_day WHERE sensor = 's1' AND day IN ($__timeBuckets(day))",
                new io.opencql.grafana.backend.TimeRange(T0, T0 + 5 * DAY - 1), 1000);
        // the query, its table, its partition key, the WHERE naming one partition of it (%s: the key's literal)
        List<List<String>> cases = List.of(List.of(day, "pr_day", "sensor, day", "sensor = 's1' AND day = %s"),
                List.of(SPLIT_QUERIES.get(0), "pr_int", "p", "p = %s"), List.of(SPLIT_QUERIES.get(3), "pr_text", "p", "p = %s"));
        int compared = 0;
        for (List<String> c : cases) {
            CqlSettings s = settings(4, 100, 1000, Duration.ofSeconds(30));
            PartitionReads.Split split = PartitionReads.split(tracked, c.get(0));
            var statements = PartitionReads.statements(s, c.get(0), split, 1000, Duration.ofSeconds(30));
            for (int i = 0; i < statements.size(); i++) {
                String literal = split.keys().get(i).literal();
                var row = tracked.execute("SELECT token(" + c.get(2) + ") FROM " + c.get(1) + " WHERE " + String.format(c.get(3), literal)
                        + " LIMIT 1").one();
                if (row == null) {
                    continue; // an empty partition: the node has no row to give its token with
                }
                assertNotNull(statements.get(i).getRoutingKey(), c.get(0));
                assertEquals(tokens.parse(String.valueOf(row.getLong(0))), tokens.newToken(statements.get(i).getRoutingKey()),
                        c.get(0) + " " + literal);
                compared++;
            }
        }
        assertEquals(4 + 6 + 5, compared); // the partitions with rows: 4 days, 6 ints, 5 texts
    }

    @Test
    void onePartitionOrNoInTakesTodaysPathUnchanged() {
        CqlSettings on = settings(4, 100, 1000, Duration.ofSeconds(30));
        for (String cql : List.of("SELECT * FROM pr_int WHERE p = 2", "SELECT * FROM pr_int WHERE p IN (2)", "SELECT * FROM pr_int WHERE p IN (2, 2)",
                "SELECT * FROM pr_int", "SELECT count(*) FROM pr_int WHERE p IN (2, 9)", "SELECT * FROM pr_int WHERE p = 2 AND c IN (1, 2)",
                "SELECT * FROM pr_int WHERE p IN (2, 9) ORDER BY c DESC", "SELECT * FROM nowhere WHERE p IN (2, 9)")) {
            assertInstanceOf(ResultReader.OneStatement.class, PartitionReads.pages(tracked, on, cql,
                    CqlQueries.statement(on, cql, 1000, Duration.ofSeconds(30)), 1000, Duration.ofSeconds(30)), cql);
        }
        String several = "SELECT * FROM pr_int WHERE p IN (2, 9)";
        for (int off : new int[] {0, 1}) {
            CqlSettings s = settings(off, 100, 1000, Duration.ofSeconds(30));
            assertInstanceOf(ResultReader.OneStatement.class, PartitionReads.pages(tracked, s, several,
                    CqlQueries.statement(s, several, 1000, Duration.ofSeconds(30)), 1000, Duration.ofSeconds(30)));
        }
        assertInstanceOf(PartitionPages.class, PartitionReads.pages(tracked, on, several,
                CqlQueries.statement(on, several, 1000, Duration.ofSeconds(30)), 1000, Duration.ofSeconds(30)));
    }

    @Test
    void failuresAreTheSingleStatements() {
        // the node refuses each partition's statement as it refuses the whole
        String badColumn = "SELECT nope FROM pr_int WHERE p IN (2, 9, -3)";
        DataResponse single = run(0, 4, 1000, badColumn, null);
        assertEquals(400, single.status(), single.error());
        assertSameFrames(single, run(4, 4, 1000, badColumn, null), badColumn);

        // the query's deadline
        String cql = SPLIT_QUERIES.get(0);
        DataResponse slowSingle = run(settings(0, 1, 1000, Duration.ofMillis(1)), cql, null, RequestContext.NONE);
        DataResponse slowSplit = run(settings(4, 1, 1000, Duration.ofMillis(1)), cql, null, RequestContext.NONE);
        assertEquals(504, slowSingle.status());
        assertEquals(slowSingle.status(), slowSplit.status());
        assertEquals(slowSingle.errorSource(), slowSplit.errorSource());
        assertTrue(slowSplit.error().startsWith("query timed out after 1 ms (setting queryTimeoutSeconds): "), slowSplit.error());
        slowSingle.closeFrames();
        slowSplit.closeFrames();
    }

    @Test
    void cancellingTheRequestCancelsThePartitionsStatements() {
        String cql = SPLIT_QUERIES.get(0);
        for (int reads : new int[] {0, 4}) {
            RequestContext cancelledDuring = new RequestContext() {
                @Override
                public boolean isCancelled() {
                    return false;
                }

                @Override
                public void onCancel(Runnable listener) {
                    listener.run(); // cancelled the moment the read registers: every statement in flight is aborted
                }
            };
            DataResponse r = run(settings(reads, 2, 1000, Duration.ofSeconds(30)), cql, null, cancelledDuring);
            assertEquals(499, r.status(), "partitionReads " + reads);
            assertEquals("query cancelled", r.error());
            assertEquals("downstream", r.errorSource().wire());
            r.closeFrames();
        }
    }

    /**
     * With a read-ahead bound of one byte every statement but the one being read stops after each page and resumes
     * as the reader takes pages: the rows are still the single statement's, in its order.
     */
    @Test
    void statementsThatStopReadingAheadResumeWithTheSameRows() {
        for (String cql : SPLIT_QUERIES) {
            for (int k : new int[] {2, 4}) {
                CqlSettings s = settings(k, 3, 1000, Duration.ofSeconds(30));
                PartitionReads.Split split = PartitionReads.split(tracked, cql);
                ResultReader.Result single = ResultReader.read(tracked, CqlQueries.statement(s, cql, 1000, Duration.ofSeconds(30)),
                        ResultReader.Plan::all, 1000, Long.MAX_VALUE, Duration.ofSeconds(30), RequestContext.NONE, "");
                ResultReader.Result merged = ResultReader.read(new PartitionPages(tracked,
                                PartitionReads.statements(s, cql, split, 1000, Duration.ofSeconds(30)), k, split.limit(), 1),
                        ResultReader.Plan::all, 1000, Long.MAX_VALUE, Duration.ofSeconds(30), RequestContext.NONE, "");
                try (Frame a = single.frame(); Frame b = merged.frame()) {
                    assertEquals(single.rows(), merged.rows(), cql);
                    assertTrue(single.rows() > 10, cql);
                    for (int f = 0; f < a.fields().size(); f++) {
                        for (int r = 0; r < a.rowCount(); r++) {
                            assertEquals(a.field(f).getObject(r), b.field(f).getObject(r), cql + " k " + k + " field " + f + " row " + r);
                        }
                    }
                }
            }
        }
    }

    /**
     * Counted where a request's future completes (the node's answer arrived): the driver tells a RequestTracker only
     * after running the future's callbacks, which here already send the statement's next page, so the tracker's
     * times would make consecutive pages of one statement look concurrent; the tracker (TestNode) here confirms
     * that every page was fetched and answered.
     */
    @Test
    void neverMoreThanPartitionReadsStatementsInFlight() {
        String cql = SPLIT_QUERIES.get(0); // 8 partitions, 55 rows: 16 pages of 4 and the empty ones
        for (int k : new int[] {2, 3, 5}) {
            CqlSettings s = settings(k, 4, 1000, Duration.ofSeconds(30));
            ResultReader.PageSource pages = PartitionReads.pages(tracked, s, cql, CqlQueries.statement(s, cql, 1000, Duration.ofSeconds(30)),
                    1000, Duration.ofSeconds(30));
            PartitionPages split = assertInstanceOf(PartitionPages.class, pages);
            long from = System.nanoTime();
            ResultReader.Result r = ResultReader.read(pages, ResultReader.Plan::all, 1000, Long.MAX_VALUE, Duration.ofSeconds(30),
                    RequestContext.NONE, "");
            assertEquals(55, r.rows());
            r.frame().close();
            assertTrue(split.mostInFlight() <= k, "partitionReads " + k + ": " + split.mostInFlight() + " requests at once");
            assertTrue(split.mostInFlight() >= 2, "partitionReads " + k + ": the partitions were read one after another");
            // pages of 4: -3 (7 rows) 2, 0 (4) 1, 2 (23) 6, 5 (1) 1, 9 (12) 3, 100 (8) 2, 1 and 7 (none) 1 each
            assertTrue(TestNode.requestsSentSince(from) >= 16, "pages fetched");
        }
    }
}
