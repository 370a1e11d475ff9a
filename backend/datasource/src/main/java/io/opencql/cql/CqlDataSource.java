package io.opencql.cql;

import io.opencql.cql.connect.DataSourceInstance;
import io.opencql.cql.connect.HealthCheck;
import io.opencql.cql.connect.SchemaResources;
import io.opencql.cql.connect.SessionFactory;
import io.opencql.cql.kernel.CqlInstance;
import io.opencql.cql.live.CqlStreamHandler;
import io.opencql.cql.live.StreamRegistry;
import io.opencql.cql.query.CqlQueries;
import io.opencql.cql.query.ResponseBudget;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.instance.IdleTimeout;
import io.opencql.grafana.instance.InstanceManager;
import io.opencql.grafana.query.QueryRunner;
import io.opencql.grafana.resource.ResourceRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CQL data source's capabilities, as the SDK serves them: one {@link CqlInstance} per data source (and
 * settings version), its queries run by the SDK's {@link QueryRunner} with the {@link CqlQueries} driver, health and schema resources
 * from the connect package, Live streams from the live package. Closing it ends every stream and closes every
 * session.
 */
public final class CqlDataSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CqlDataSource.class);
    /** Grafana's own grace: a replaced instance is closed 5 s later, once its in-flight requests are done. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final InstanceManager<CqlInstance> instances;
    private final QueryRunner<CqlInstance> queryData;
    private final StreamRegistry streamRegistry;
    private final CqlStreamHandler streams;
    private final ResourceRouter resources;

    /** Live stream state in {@link StreamRegistry#defaultDirectory()}. */
    public CqlDataSource() {
        this(StreamRegistry.defaultDirectory());
    }

    /** @param streamState where Live streams are remembered across plugin restarts; null: in memory only */
    public CqlDataSource(Path streamState) {
        this(new SessionFactory(), streamState);
    }

    CqlDataSource(SessionFactory sessions) {
        this(sessions, null);
    }

    CqlDataSource(SessionFactory sessions, Path streamState) {
        this(sessions, streamState, idleTimeout(System.getenv()), budget(System.getenv()));
    }

    CqlDataSource(SessionFactory sessions, Path streamState, Duration idleTimeout) {
        this(sessions, streamState, idleTimeout, ResponseBudget.DEFAULT);
    }

    CqlDataSource(SessionFactory sessions, Path streamState, Duration idleTimeout, ResponseBudget budget) {
        this.instances = new InstanceManager<>(ctx -> DataSourceInstance.create(ctx, sessions), GRACE, idleTimeout);
        this.streamRegistry = new StreamRegistry(streamState);
        CqlQueries queries = new CqlQueries(streamRegistry, budget);
        this.queryData = new QueryRunner<>(instances, queries, "cql-query");
        this.streams = new CqlStreamHandler(streamRegistry, queries, instances);
        this.resources = SchemaResources.router(instances);
    }

    /** grafana.ini's instance_idle_timeout for this plugin; a value that does not parse is logged and the default used. */
    static Duration idleTimeout(Map<String, String> env) {
        try {
            return IdleTimeout.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; using {} min", e.getMessage(), IdleTimeout.DEFAULT.toMinutes());
            return IdleTimeout.DEFAULT;
        }
    }

    /** grafana.ini's max_response_mb for this plugin; a value that does not parse is logged and the default used. */
    static ResponseBudget budget(Map<String, String> env) {
        try {
            return ResponseBudget.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; using {} MiB", e.getMessage(), ResponseBudget.DEFAULT_MB);
            return ResponseBudget.DEFAULT;
        }
    }

    public Plugin plugin() {
        return new Plugin(
                queryData,
                (req, rc) -> instances.with(req.context(), HealthCheck::check),
                resources,
                streams,
                this::close);
    }

    /** The instances (tests and metrics). */
    public InstanceManager<CqlInstance> instances() {
        return instances;
    }

    /** Live: the streams issued so far (tests). */
    public StreamRegistry streamRegistry() {
        return streamRegistry;
    }

    /** Live: SubscribeStream, PublishStream, RunStream (tests, metrics). */
    public CqlStreamHandler streams() {
        return streams;
    }

    /** Plugin shutdown: every stream ends, every session closes, running queries are interrupted. */
    @Override
    public void close() {
        streams.close();
        queryData.close();
        instances.close();
    }
}
