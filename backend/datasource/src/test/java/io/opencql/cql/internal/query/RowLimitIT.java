package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.Notice;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Row limit with its notice, and that the reader stops fetching pages at it; cancellation. */
class RowLimitIT {

    static final String CQL = "SELECT c, v FROM many WHERE p = 1";

    @BeforeAll
    static void data() {
        CqlSession s = TestNode.session();
        s.execute("DROP TABLE IF EXISTS many");
        s.execute("CREATE TABLE many (p int, c int, v double, PRIMARY KEY (p, c))");
        PreparedStatement ins = s.prepare("INSERT INTO many (p, c, v) VALUES (1, ?, ?)");
        var batch = BatchStatement.builder(BatchType.UNLOGGED);
        for (int c = 0; c < 250; c++) {
            batch.addStatement(ins.bind(c, c * 0.5));
        }
        s.execute(batch.build());
    }

    record Run(DataResponse response, long pages) {
    }

    static Run run(int pageSize, long rowLimit, String extra) {
        CqlSettings settings = TestNode.settings(true, pageSize, rowLimit, Setting.QUERY_TIMEOUT.defaultValue(java.time.Duration.class));
        TestNode.session();
        long sent = System.nanoTime();
        DataResponse r = TestNode.run(TestNode.instance(settings), TestNode.query("A", TestNode.model(CQL, extra), 0, 1));
        // only requests sent from here on are this query's; the count waits until each of them (a page fetched by
        // mistake included) has completed
        return new Run(r, TestNode.requestsSentSince(sent));
    }

    static void assertRows(Frame f, int n) {
        assertEquals(n, f.rowCount());
        for (int i = 0; i < n; i++) {
            assertEquals((long) i, f.field(0).getObject(i));
            assertEquals(i * 0.5, f.field(1).getObject(i));
        }
    }

    @Test
    void stopsAtTheLimitWithANoticeAndFetchesNoFurtherPage() {
        Run run = run(100, 120, null);
        assertEquals(200, run.response().status(), run.response().error());
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 120);
            assertEquals(List.of(Notice.warning("Results have been limited to 120 rows because the row limit was reached (setting rowLimit)")),
                    f.meta().notices());
        }
        assertEquals(2, run.pages()); // of the 3 pages the 250 rows take
    }

    @Test
    void noNoticeWhenEverythingFits() {
        Run run = run(100, 250, null);
        assertEquals(200, run.response().status());
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 250);
            assertEquals(List.of(), f.meta().notices());
        }
        assertEquals(3, run.pages());
    }

    @Test
    void theQuerysOwnLimitLowersIt() {
        Run run = run(100, 120, "\"rowLimit\":50");
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 50);
            assertEquals(List.of(Notice.warning("Results have been limited to 50 rows because the row limit was reached (query option rowLimit)")),
                    f.meta().notices());
        }
        assertEquals(1, run.pages());

        run = run(100, 120, "\"rowLimit\":500"); // cannot raise the data source's
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 120);
        }
    }

    @Test
    void limitAtAPageBoundary() {
        Run run = run(100, 100, null);
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 100);
            assertEquals(1, f.meta().notices().size());
        }
        assertEquals(1, run.pages());
    }

    static final String LIMITED_TO_249 = "Results have been limited to 249 rows because the row limit was reached (setting rowLimit)";

    @Test
    void exactlyTheLimitIsNotLimited() {
        // the 250 rows fill the last page exactly, which the node still reports as having more pages
        Run run = run(125, 250, null);
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 250);
            assertEquals(List.of(), f.meta().notices());
        }
        assertEquals(3, run.pages()); // two pages and a one-row probe that comes back empty

        run = run(250, 250, null); // limit = page size: one page of limit + 1 rows
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 250);
            assertEquals(List.of(), f.meta().notices());
        }
        assertEquals(1, run.pages());
    }

    @Test
    void oneRowPastTheLimitIsLimited() {
        Run run = run(83, 249, null); // 249 = 3 full pages; the 250th row is found by the probe
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 249);
            assertEquals(List.of(Notice.warning(LIMITED_TO_249)), f.meta().notices());
        }
        assertEquals(4, run.pages());

        run = run(100, 249, null); // the 250th row is inside the last page read
        try (Frame f = run.response().frames().get(0)) {
            assertRows(f, 249);
            assertEquals(List.of(Notice.warning(LIMITED_TO_249)), f.meta().notices());
        }
        assertEquals(3, run.pages());
    }

    @Test
    void cancelledQueryIsA499() {
        CqlSettings settings = TestNode.settings(true, 10, 1000, Setting.QUERY_TIMEOUT.defaultValue(java.time.Duration.class));
        DataResponse pre = TestNode.answer(new CqlQueries(), TestNode.instance(settings), TestNode.query("A", TestNode.model(CQL, null), 0, 1),
                PluginContext.forDataSource(null), new RequestContext() {
                    @Override
                    public boolean isCancelled() {
                        return true;
                    }

                    @Override
                    public void onCancel(Runnable listener) {
                        listener.run();
                    }
                });
        assertEquals(499, pre.status());
        assertEquals("downstream", pre.errorSource().wire());
        assertEquals("query cancelled", pre.error());

        // cancelled once the query is under way: the page in flight is aborted
        DataResponse during = TestNode.answer(new CqlQueries(), TestNode.instance(settings), TestNode.query("A", TestNode.model(CQL, null), 0, 1),
                PluginContext.forDataSource(null), new RequestContext() {
                    @Override
                    public boolean isCancelled() {
                        return false;
                    }

                    @Override
                    public void onCancel(Runnable listener) {
                        listener.run();
                    }
                });
        assertEquals(499, during.status());
        assertEquals("downstream", during.errorSource().wire());
        assertEquals("query cancelled", during.error());
        assertEquals(CQL, during.frames().get(0).meta().executedQueryString());
        assertEquals(0, during.frames().get(0).fields().size());
    }

    @Test
    void timeoutIsA504() {
        CqlSettings settings = TestNode.settings(true, 1, 1000, Duration.ofMillis(1));
        DataResponse r = TestNode.run(TestNode.instance(settings), TestNode.query("A", TestNode.model(CQL, null), 0, 1));
        assertEquals(504, r.status());
        assertEquals("downstream", r.errorSource().wire());
        assertEquals(true, r.error().startsWith("query timed out after 1 ms (setting queryTimeoutSeconds): "), r.error());
        assertNull(null);
    }
}
