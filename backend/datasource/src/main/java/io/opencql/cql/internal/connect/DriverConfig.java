package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import io.opencql.cql.internal.kernel.CqlSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

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

    /**
     * How many requests one session has on the wire at once, and how many more wait for a slot (a page of a
     * query, each statement of a partition read, a health or schema read: each is a request). Without a bound a
     * burst past what the connections carry fails: measured, 1,500 concurrent 100-row queries through the bare
     * driver met "No connection was available" from the driver's own pool, which takes at most
     * {@code perConnection} requests on a connection. With it, a burst waits its turn (the wait counts towards
     * queryTimeoutSeconds), and only a burst past {@code waiting} more is refused, with a message that says so
     * ({@code Failure}): back-pressure instead of a queue without end.
     *
     * @param inFlight at most on the wire: half of one connection's requests, so that even a burst whose
     *     partitions all live on one node never finds its connection busy
     * @param waiting at most waiting for a slot; past it a request is refused at once
     * @param perConnection the driver's requests per connection (its own default, 1024, written out)
     */
    record Bounds(int inFlight, int waiting, int perConnection) {

        static final Bounds DEFAULT = new Bounds(512, 4096, 1024);
    }

    private DriverConfig() {
    }

    /**
     * The options of the real session. Load balancing is the driver's default policy (token-aware, DC-aware,
     * avoids slow replicas): with the local DC of the settings, given to the session builder, or, when they name
     * none, {@link LocalDcPolicy}, the same policy finding it from the contact points, in their order.
     *
     * @param points the contact points as resolved, in the settings' order
     */
    public static DriverConfigLoader session(CqlSettings s, String sessionName, List<InetSocketAddress> points) {
        return session(s, sessionName, points, Bounds.DEFAULT);
    }

    static DriverConfigLoader session(CqlSettings s, String sessionName, List<InetSocketAddress> points, Bounds bounds) {
        ProgrammaticDriverConfigLoaderBuilder b = common(s, sessionName);
        if (s.localDatacenter() == null) {
            b.withClass(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, LocalDcPolicy.class);
            b.withStringList(LocalDcPolicy.Option.CONTACT_POINTS, points.stream().map(LocalDcPolicy::encode).toList());
        }
        b.withString(DefaultDriverOption.REQUEST_THROTTLER_CLASS, "ConcurrencyLimitingRequestThrottler");
        b.withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS, bounds.inFlight());
        b.withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE, bounds.waiting());
        b.withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, bounds.perConnection());
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
