package io.opencql.cql;

import io.opencql.cql.connect.DataSourceInstance;
import io.opencql.cql.connect.HealthCheck;
import io.opencql.cql.connect.SchemaResources;
import io.opencql.cql.connect.SessionFactory;
import io.opencql.cql.query.QueryEngine;
import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.ResourceSender;
import io.opencql.grafana.backend.StreamHandler;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.instance.InstanceManager;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CQL data source's capabilities, as the SDK serves them: one {@link CqlInstance} per data source (and
 * settings version), its queries run in parallel by {@link ParallelQueryData}, health and schema resources
 * from the connect package. Closing it closes every session.
 */
public final class CqlDataSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CqlDataSource.class);
    /** Grafana's own grace: a replaced instance is closed 5 s later, once its in-flight requests are done. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final InstanceManager<CqlInstance> instances;
    private final ParallelQueryData queryData;

    public CqlDataSource() {
        this(new SessionFactory());
    }

    CqlDataSource(SessionFactory sessions) {
        this.instances = new InstanceManager<>(ctx -> DataSourceInstance.create(ctx, sessions), GRACE);
        QueryEngine engine = new QueryEngine();
        this.queryData = new ParallelQueryData(instances, engine::execute);
    }

    public Plugin plugin() {
        return new Plugin(
                queryData,
                this::checkHealth,
                this::callResource,
                new StreamHandler() {
                    @Override
                    public StreamReply subscribeStream(io.opencql.grafana.backend.StreamRequest request) {
                        return StreamReply.notFound();
                    }

                    @Override
                    public void runStream(io.opencql.grafana.backend.StreamRequest request, io.opencql.grafana.backend.StreamSender sender,
                                          RequestContext context) {
                        throw new IllegalArgumentException("unknown stream " + request.path());
                    }
                },
                this::close);
    }

    CheckHealthResult checkHealth(PluginContext ctx, Map<String, String> headers, RequestContext rc) throws Exception {
        try (InstanceManager.Lease<CqlInstance> lease = instances.acquire(ctx)) {
            return HealthCheck.check(lease.instance());
        }
    }

    void callResource(CallResourceRequest req, ResourceSender sender, RequestContext rc) {
        CallResourceResponse rejected = SchemaResources.reject(req);
        if (rejected != null) {
            sender.send(rejected);
            return;
        }
        CallResourceResponse answer;
        try (InstanceManager.Lease<CqlInstance> lease = instances.acquire(req.context())) {
            answer = SchemaResources.answer(req, lease.instance());
        } catch (Exception e) {
            LOG.error("resource {} failed", req.path(), e);
            answer = CallResourceResponse.json(500, "{\"error\":\"internal error\"}");
        }
        sender.send(answer);
    }

    /** The instances (tests and metrics). */
    public InstanceManager<CqlInstance> instances() {
        return instances;
    }

    /** Plugin shutdown: every session closes, running queries are interrupted. */
    @Override
    public void close() {
        queryData.close();
        instances.close();
    }
}
