package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opencql.cql.internal.connect.DataSourceInstance;
import io.opencql.cql.internal.connect.SessionFactory;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.instance.InstanceManager;
import io.opencql.grafana.query.QueryCall;
import io.opencql.grafana.query.QueryDriver;
import io.opencql.grafana.query.QueryFailure;
import io.opencql.grafana.query.QueryRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The instance a driver receives from the SDK's runner for a data source with invalid settings still says why. */
class InvalidSettingsQueryTest {

    @Test
    void invalidSettingsReachTheDriverAsAnInstanceThatSaysSo() throws Exception {
        QueryDriver<CqlInstance> driver = new QueryDriver<>() {
            @Override
            public List<Frame> run(CqlInstance i, DataQuery q, QueryCall call) throws Exception {
                i.settings();
                return List.of();
            }

            @Override
            public QueryFailure classify(Throwable failure, CqlInstance instance) {
                return failure instanceof InvalidSettingsException e ? new QueryFailure(400, ErrorSource.DOWNSTREAM, e.getMessage()) : null;
            }
        };
        DataSourceSettings bad = new DataSourceSettings(1, "uid", "n", null, null, null, false, null,
                "{\"port\":\"x\"}".getBytes(), Map.of(), 1, "");
        try (InstanceManager<CqlInstance> instances = new InstanceManager<>(ctx -> DataSourceInstance.create(ctx, new SessionFactory()),
                Duration.ofSeconds(5)); QueryRunner<CqlInstance> runner = new QueryRunner<>(instances, driver, "test-query")) {
            QueryDataResponse r = runner.queryData(new QueryDataRequest(PluginContext.forDataSource(bad), Map.of(),
                    List.of(new DataQuery("A", 100, 1000, null, "{}".getBytes(), ""))), RequestContext.NONE);
            assertEquals("jsonData.port must be a number from 1 to 65535, got \"x\"", r.responses().get("A").error());
        }
    }
}
