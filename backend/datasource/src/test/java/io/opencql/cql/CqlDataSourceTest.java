package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.CheckHealthRequest;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wiring, where no node is needed: selftest, request errors, invalid settings. */
class CqlDataSourceTest {

    private final CqlDataSource dataSource = new CqlDataSource();
    private final Plugin plugin = dataSource.plugin();

    @AfterEach
    void close() {
        dataSource.close();
    }

    private static PluginContext noDataSource() {
        return new PluginContext(1, "opencql-cql-datasource", null, null, Map.of(), "", "", "");
    }

    @Test
    void selftestWorksWithNoSettingsAtAll() throws Exception {
        QueryDataResponse r = plugin.queryData().queryData(new QueryDataRequest(noDataSource(), Map.of(),
                List.of(new DataQuery("A", 0, 0, null, null, "selftest"))), RequestContext.NONE);
        DataResponse a = r.responses().get("A");
        assertEquals(200, a.status());
        assertEquals(1, a.frames().size());
        a.closeFrames();
        assertEquals(0, dataSource.instances().size());
    }

    @Test
    void nonSelftestQueriesGetAnAnswerEvenWithoutSettings() throws Exception {
        QueryDataResponse r = plugin.queryData().queryData(new QueryDataRequest(noDataSource(), Map.of(),
                List.of(new DataQuery("A", 0, 0, null, "{}".getBytes(), ""), new DataQuery("B", 0, 0, null, null, "selftest"))),
                RequestContext.NONE);
        assertEquals(List.of("A", "B"), new ArrayList<>(r.responses().keySet()));
        assertEquals(true, r.responses().get("A").isError());
        r.responses().get("B").closeFrames();
    }

    @Test
    void healthWithInvalidSettingsNamesTheKey() throws Exception {
        DataSourceSettings ds = new DataSourceSettings(1, "u", "n", null, null, null, false, null,
                "{\"pageSize\":-5}".getBytes(StandardCharsets.UTF_8), Map.of("password", "hunter2"), 1, "");
        CheckHealthResult r = plugin.checkHealth().checkHealth(new CheckHealthRequest(PluginContext.forDataSource(ds), Map.of()), RequestContext.NONE);
        assertEquals(CheckHealthResult.Status.ERROR, r.status());
        assertEquals("Invalid settings: jsonData.pageSize must be a whole number of at least 1, got -5", r.message());
    }

    @Test
    void healthWithoutAnyDataSource() throws Exception {
        CheckHealthResult r = plugin.checkHealth().checkHealth(new CheckHealthRequest(noDataSource(), Map.of()), RequestContext.NONE);
        assertEquals("Invalid settings: the request carries no data source settings", r.message());
    }

    private CallResourceResponse call(String method, String url) throws Exception {
        List<CallResourceResponse> sent = new ArrayList<>();
        int q = url.indexOf('?');
        plugin.callResource().callResource(new CallResourceRequest(noDataSource(), q < 0 ? url : url.substring(0, q), method, url,
                Map.of(), null), sent::add, RequestContext.NONE);
        assertEquals(1, sent.size());
        return sent.get(0);
    }

    @Test
    void resourceRequestErrorsNeedNoCluster() throws Exception {
        CallResourceResponse unknown = call("GET", "nope/deeper");
        assertEquals(404, unknown.status());
        assertEquals("{\"error\":\"unknown resource \\\"nope/deeper\\\"; available: keyspaces, tables, columns\"}",
                new String(unknown.body(), StandardCharsets.UTF_8));
        CallResourceResponse delete = call("DELETE", "tables?keyspace=k");
        assertEquals(405, delete.status());
        assertEquals("{\"error\":\"method DELETE not allowed on tables; use GET\"}", new String(delete.body(), StandardCharsets.UTF_8));
        assertEquals(400, call("GET", "/tables/").status());
        assertEquals(400, call("GET", "columns?keyspace=k&table=").status());
        assertEquals(0, dataSource.instances().size(), "no instance for requests answered up front");
    }

    @Test
    void resourcesWithInvalidSettingsAre502() throws Exception {
        CallResourceResponse r = call("GET", "keyspaces");
        assertEquals(502, r.status());
        assertEquals("{\"error\":\"Invalid settings: the request carries no data source settings\"}",
                new String(r.body(), StandardCharsets.UTF_8));
    }
}
