package io.opencql.grafana.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.instance.InstanceManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transport answers what this accepts on gRPC's event loop: it must be what the runner answers without I/O. */
class SelfTestOnlyTest {

    private static DataQuery query(String refId, String queryType) {
        return new DataQuery(refId, 100, 1000, null, "{}".getBytes(), queryType);
    }

    @Test
    void onlyARequestOfSelfTestsAlone() {
        assertTrue(SelfTestOnly.test(List.of(query("A", "selftest"))));
        assertTrue(SelfTestOnly.test(List.of(query("A", "selftest"), query("B", "selftest"))));
        assertFalse(SelfTestOnly.test(List.of(query("A", "selftest"), query("B", ""))));
        assertFalse(SelfTestOnly.test(List.of(query("A", ""), query("B", "selftest"))));
        assertFalse(SelfTestOnly.test(List.of(query("A", "SELFTEST"))));
        assertFalse(SelfTestOnly.test(List.of(query("A", "table"))));
        assertFalse(SelfTestOnly.test(List.of()));
    }

    @Test
    void theRunnerAnswersWhatItAcceptsWithoutAnInstanceOrTheDriver() throws Exception {
        assertEquals(QueryRunner.SELFTEST, SelfTestOnly.QUERY_TYPE);
        // an instance or a driver call is what may block; both fail the test here
        InstanceManager<AutoCloseable> instances = new InstanceManager<>(ctx -> {
            throw new AssertionError("a self-test must not lease an instance");
        });
        QueryDriver<AutoCloseable> driver = new QueryDriver<>() {
            @Override
            public List<Frame> run(AutoCloseable instance, DataQuery q, QueryCall call) {
                throw new AssertionError("a self-test must not reach the driver");
            }

            @Override
            public QueryFailure classify(Throwable failure, AutoCloseable instance) {
                return null;
            }
        };
        List<DataQuery> queries = List.of(query("A", SelfTestOnly.QUERY_TYPE), query("B", SelfTestOnly.QUERY_TYPE));
        assertTrue(SelfTestOnly.test(queries));
        try (QueryRunner<AutoCloseable> runner = new QueryRunner<>(instances, driver, "selftest-only")) {
            var answer = runner.queryData(new QueryDataRequest(new PluginContext(1, "p", null, null, Map.of(), "", "", ""),
                    Map.of(), queries), RequestContext.NONE);
            assertEquals(List.of("A", "B"), List.copyOf(answer.responses().keySet()));
            for (DataResponse r : answer.responses().values()) {
                assertEquals(200, r.status(), r.error());
                r.closeFrames();
            }
        } finally {
            instances.close();
        }
    }
}
