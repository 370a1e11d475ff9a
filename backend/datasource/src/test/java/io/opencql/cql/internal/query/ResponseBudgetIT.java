package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The byte budget of an answer: reading stops after the page that reaches it, with a notice naming the setting. */
class ResponseBudgetIT {

    static final String CQL = "SELECT c, v FROM sized WHERE p = 1";
    /** 2,000 rows of ~1 KiB: ~2 MiB */
    static final int ROWS = 2000;

    @BeforeAll
    static void data() {
        CqlSession s = TestNode.session();
        s.execute("DROP TABLE IF EXISTS sized");
        s.execute("CREATE TABLE sized (p int, c int, v text, PRIMARY KEY (p, c))");
        PreparedStatement ins = s.prepare("INSERT INTO sized (p, c, v) VALUES (1, ?, ?)");
        String kib = "x".repeat(1024);
        for (int c = 0; c < ROWS; c += 100) {
            var batch = BatchStatement.builder(BatchType.UNLOGGED);
            for (int i = c; i < c + 100; i++) {
                batch.addStatement(ins.bind(i, kib));
            }
            s.execute(batch.build());
        }
    }

    static DataResponse run(ResponseBudget budget) {
        CqlSettings settings = TestNode.settings(true, 200, Setting.ROW_LIMIT.defaultValue(Long.class), Setting.QUERY_TIMEOUT.defaultValue(java.time.Duration.class));
        TestNode.session();
        return TestNode.answer(new CqlQueries(null, budget), TestNode.instance(settings), TestNode.query("A", TestNode.model(CQL, null), 0, 1),
                PluginContext.forDataSource(null), RequestContext.NONE);
    }

    @Test
    void stopsAfterThePageThatReachesTheBudgetWithANotice() {
        DataResponse r = run(new ResponseBudget(1 << 20)); // 1 MiB: pages of 200 rows are ~200 KiB
        assertEquals(200, r.status(), r.error());
        try (Frame f = r.frames().get(0)) {
            int rows = f.rowCount();
            assertTrue(rows >= 1000 && rows <= 1200, "read " + rows + " rows; a 1 MiB budget is reached in the 5th or 6th page of 200");
            assertEquals(0L, f.field(0).getObject(0));
            assertEquals((long) rows - 1, f.field(0).getObject(rows - 1));
            assertEquals(List.of(Notice.warning("Results have been limited to " + rows + " rows because the answer reached its size"
                    + " limit of 1 MiB (grafana.ini [plugin.opencql-cql-datasource] max_response_mb); narrow the query (time range,"
                    + " columns, partitions) or set a lower rowLimit")), f.meta().notices());
        }
    }

    @Test
    void aBudgetAboveTheAnswerChangesNothing() {
        DataResponse r = run(ResponseBudget.DEFAULT);
        assertEquals(200, r.status(), r.error());
        try (Frame f = r.frames().get(0)) {
            assertEquals(ROWS, f.rowCount());
            assertEquals(List.of(), f.meta().notices());
        }
    }
}
