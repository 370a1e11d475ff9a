package io.opencql.grafana.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerEveryQueryTest {

    private static QueryDataRequest request(String... refIds) {
        List<DataQuery> qs = new ArrayList<>();
        for (String r : refIds) {
            qs.add(new DataQuery(r, 0, 0, null, null, ""));
        }
        return new QueryDataRequest(new PluginContext(1, "p", null, null, Map.of(), "", "", ""), Map.of(), qs);
    }

    @Test
    void aLeftOutRefIdIsAPluginErrorInTheRequestsOrder() throws Exception {
        QueryDataHandler h = AnswerEveryQuery.around((req, rc) -> new QueryDataResponse(Map.of("B", DataResponse.ok(List.of()))));
        QueryDataResponse r = h.queryData(request("A", "B"), RequestContext.NONE);
        assertEquals(List.of("A", "B"), new ArrayList<>(r.responses().keySet()));
        assertEquals(500, r.responses().get("A").status());
        assertEquals(ErrorSource.PLUGIN, r.responses().get("A").errorSource());
        assertEquals("the plugin returned no response for query A", r.responses().get("A").error());
        assertEquals(200, r.responses().get("B").status());
        assertSame(h, AnswerEveryQuery.around(h));
    }

    @Test
    void aThrowingHandlerAnswersEveryQueryWithItsError() throws Exception {
        QueryDataHandler h = AnswerEveryQuery.around((req, rc) -> {
            throw new IllegalStateException("handler bug");
        });
        QueryDataResponse r = h.queryData(request("A", "B"), RequestContext.NONE);
        for (String refId : List.of("A", "B")) {
            assertEquals(500, r.responses().get(refId).status());
            assertEquals("internal error in the plugin: java.lang.IllegalStateException: handler bug", r.responses().get(refId).error());
        }
    }
}
