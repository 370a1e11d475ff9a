package io.opencql.cql;

import io.opencql.cql.internal.connect.DataSourceInstance;
import io.opencql.cql.internal.connect.HealthCheck;
import io.opencql.cql.internal.connect.SchemaResources;
import io.opencql.cql.internal.connect.SessionFactory;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.live.CqlStreamHandler;
import io.opencql.cql.internal.live.StreamRegistry;
import io.opencql.cql.internal.query.CqlQueries;
import io.opencql.cql.internal.query.ResponseBudget;
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
    private final CqlStreamHandler streams;
    private final ResourceRouter resources;

    /**
     * The plugin's data source: sessions from the driver, Live stream state in {@link StreamRegistry#defaultDirectory()},
     * grafana.ini's idle timeout and response budget from the environment.
     */
    public CqlDataSource() {
        this(new SessionFactory(), StreamRegistry.defaultDirectory(), idleTimeout(System.getenv()), budget(System.getenv()));
    }

    /**
     * The same wiring from given parts: the one seam for this package's tests (the test helper
     * {@code DataSourceProbe} lends it to tests elsewhere). {@code streamState} null: streams in memory only.
     */
    CqlDataSource(SessionFactory sessions, Path streamState, Duration idleTimeout, ResponseBudget budget) {
        this.instances = new InstanceManager<>(ctx -> DataSourceInstance.create(ctx, sessions), GRACE, idleTimeout);
        StreamRegistry streamRegistry = new StreamRegistry(streamState);
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

    /** The instances, for tests (through {@code DataSourceProbe} outside this package). */
    InstanceManager<CqlInstance> instances() {
        return instances;
    }

    /** Live's handler, for tests (through {@code DataSourceProbe} outside this package). */
    CqlStreamHandler streams() {
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
