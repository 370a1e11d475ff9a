package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import io.opencql.cql.internal.kernel.CqlSettings;
import java.time.Duration;

/**
 * The driver configuration for one data source, built in code (no {@code application.conf} needed): the
 * driver's reference defaults plus what the settings say. One place lists every option we change and why.
 */
final class DriverConfig {

    /**
     * Driver event-loop threads per session. A session has one connection per node plus the control connection, and a
     * Grafana instance may hold a session per data source: the default 2 × cores (plus 2 admin threads) per session
     * adds up to hundreds of threads for no throughput.
     */
    static final int IO_THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private DriverConfig() {
    }

    /**
     * The options of the real session. Load balancing stays the driver's default policy (token-aware,
     * DC-aware, avoids slow replicas); its local DC is given to the session builder.
     */
    public static DriverConfigLoader session(CqlSettings s, String sessionName) {
        ProgrammaticDriverConfigLoaderBuilder b = common(s, sessionName);
        b.withDuration(DefaultDriverOption.REQUEST_TIMEOUT, s.queryTimeout());
        b.withString(DefaultDriverOption.REQUEST_CONSISTENCY, s.consistency().name());
        b.withInt(DefaultDriverOption.REQUEST_PAGE_SIZE, s.pageSize());
        // the data source's own statements (health, schema resources) are reads: a read cut by a lost connection
        // or refused by a bootstrapping node is retried on the next replica instead of failing a panel. Query
        // statements say for themselves (CqlQueries: reads yes, writes of a read-write data source no)
        b.withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, true);
        // ...and a read that timed out because a dead replica was asked is asked again (see the class)
        b.withClass(DefaultDriverOption.RETRY_POLICY_CLASS, ReadRetryPolicy.class);
        return b.build();
    }

    /**
     * The options of the probe that finds the local DC when none is configured: a control connection
     * only (every node is ignored by the session builder's distance evaluator), no schema, no token map, so it
     * costs one handshake.
     */
    public static DriverConfigLoader probe(CqlSettings s, String sessionName) {
        ProgrammaticDriverConfigLoaderBuilder b = common(s, sessionName);
        // DC-agnostic: the default policy would insist on a local DC, which is what we are looking for
        b.withString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, "BasicLoadBalancingPolicy");
        b.withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false);
        b.withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false);
        return b.build();
    }

    private static ProgrammaticDriverConfigLoaderBuilder common(CqlSettings s, String sessionName) {
        Duration connect = s.connectTimeout();
        return DriverConfigLoader.programmaticBuilder()
                // thread names start with it ("<name>-io-0", "<name>-admin-0"): one data source's threads are findable
                .withString(DefaultDriverOption.SESSION_NAME, sessionName)
                // connectTimeoutSeconds bounds every step of connecting: TCP connect, the protocol handshake and
                // authentication, the control connection's queries, USE keyspace, the first schema load
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, connect)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, connect)
                .withDuration(DefaultDriverOption.CONNECTION_SET_KEYSPACE_TIMEOUT, connect)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, connect)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, connect)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, connect)
                // closing a session (settings changed, plugin stopping) takes ~20 ms instead of 2 s
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_IO_SIZE, IO_THREADS)
                // schema refreshes and reconnection scheduling: light work
                .withInt(DefaultDriverOption.NETTY_ADMIN_SIZE, 1)
                // a node back from an outage is reconnected within 5 s (driver default: up to 60 s), so dashboards
                // and Live streams recover soon after the database does; an attempt on a down node is one refused
                // TCP connect
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(5))
                // one session per data source is normal; only far more than that means instances leak
                .withInt(DefaultDriverOption.SESSION_LEAK_THRESHOLD, 100);
    }
}
