package io.opencql.cql;

import io.opencql.cql.internal.connect.SessionFactory;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.live.CqlStreamHandler;
import io.opencql.cql.internal.query.ResponseBudget;
import io.opencql.grafana.instance.InstanceManager;
import java.nio.file.Path;

/**
 * Tests' way into a {@link CqlDataSource}: made from given parts, and its instances and Live handler to observe.
 * Kept in test scope so that the data source's public face is what the plugin uses ({@code new CqlDataSource()},
 * {@code plugin()}, {@code close()}) and nothing else.
 */
public final class DataSourceProbe {

    private DataSourceProbe() {
    }

    /** The driver's sessions; Live stream state in {@code streamState} (null: in memory only); settings from the environment. */
    public static CqlDataSource create(Path streamState) {
        return create(new SessionFactory(), streamState);
    }

    /** {@code sessions}; Live stream state in {@code streamState} (null: in memory only); settings from the environment. */
    public static CqlDataSource create(SessionFactory sessions, Path streamState) {
        return new CqlDataSource(sessions, streamState, CqlDataSource.idleTimeout(System.getenv()),
                CqlDataSource.budget(System.getenv()));
    }

    public static InstanceManager<CqlInstance> instances(CqlDataSource dataSource) {
        return dataSource.instances();
    }

    public static CqlStreamHandler streams(CqlDataSource dataSource) {
        return dataSource.streams();
    }
}
