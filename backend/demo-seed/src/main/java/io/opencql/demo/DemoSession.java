package io.opencql.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;
import java.time.Duration;
import java.util.function.Consumer;

/** Opens the CLI's session, retrying while the node starts (a container that is "healthy" may still refuse). */
final class DemoSession {

    private DemoSession() {}

    static CqlSession open(ConnectOptions o, Consumer<String> log) throws InterruptedException {
        long deadline = System.nanoTime() + o.waitFor().toNanos();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return builder(o).build();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !transientFailure(e)) {
                    throw e;
                }
                log.accept("node not ready (attempt " + attempt + "): " + firstLine(e.getMessage()) + "; retrying");
                Thread.sleep(Math.min(5000, 500L * attempt));
            }
        }
    }

    /**
     * Refused connections and authentication failures pass while a node starts (ScyllaDB creates its default
     * role after it opens the CQL port); a linkage error or a bad setting does not.
     */
    static boolean transientFailure(Throwable e) {
        if (e instanceof AllNodesFailedException all) {
            return all.getAllErrors().values().stream().flatMap(List::stream).allMatch(DemoSession::transientFailure);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Error || t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
                return false;
            }
        }
        return true;
    }

    static String describe(List<InetSocketAddress> points) {
        return points.stream().map(a -> a.getHostString() + ":" + a.getPort()).collect(Collectors.joining(","));
    }

    static CqlSessionBuilder builder(ConnectOptions o) {
        ProgrammaticDriverConfigLoaderBuilder config = DriverConfigLoader.programmaticBuilder()
                // DDL on a busy single node can take seconds; the default 2 s fails spuriously
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                // the seeder reads no schema metadata: skip fetching and refreshing it after each DDL
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0);
        if (o.localDatacenter() == null) {
            // without it, driver 4 refuses explicit contact points that come without a local DC
            config.withString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, "DcInferringLoadBalancingPolicy");
        }
        CqlSessionBuilder b = CqlSession.builder()
                .withConfigLoader(config.build())
                .addContactPoints(o.contactPoints().stream()
                        // resolve on every attempt: a container's DNS name may appear late
                        .map(a -> a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a)
                        .toList());
        if (o.localDatacenter() != null) {
            b.withLocalDatacenter(o.localDatacenter());
        }
        if (o.username() != null) {
            b.withAuthCredentials(o.username(), o.password());
        }
        return b;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
