package io.opencql.cql.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one recipe for the tests' own set-up sessions (DDL, fills, checks), whether on the test node ({@link TestNode}),
 * the lone node the crash tests restart or the three-node cluster: fast schema agreement, no netty quiet period on
 * close, the data centre inferred from the contact points. What differs per caller is passed in.
 */
public final class AdminSession {

    private AdminSession() {
    }

    /**
     * A session named {@code name} (in the driver's logs) to {@code contactPoints}, with {@code requestTimeout} for
     * DDL; {@code user} null: no credentials (a node without authentication). {@code extra} adds the caller's own
     * options. Close it.
     */
    public static CqlSession open(String name, List<InetSocketAddress> contactPoints, String user, String password,
            Duration requestTimeout, UnaryOperator<ProgrammaticDriverConfigLoaderBuilder> extra) {
        ProgrammaticDriverConfigLoaderBuilder config = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.SESSION_NAME, name)
                .withString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, "DcInferringLoadBalancingPolicy")
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ZERO)
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0);
        var b = CqlSession.builder().withConfigLoader(extra.apply(config).build());
        for (InetSocketAddress cp : contactPoints) {
            b.addContactPoint(cp);
        }
        if (user != null) {
            b.withAuthCredentials(user, password);
        }
        return b.build();
    }

    /**
     * Back within a second of an outage, so that an outage test measures the plugin's recovery, not this session's
     * reconnection back-off.
     */
    public static ProgrammaticDriverConfigLoaderBuilder reconnectFast(ProgrammaticDriverConfigLoaderBuilder config) {
        return config.withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(250))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(1));
    }
}
