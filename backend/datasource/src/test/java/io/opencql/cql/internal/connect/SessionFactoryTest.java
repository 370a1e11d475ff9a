package io.opencql.cql.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.SettingsParser;
import io.opencql.cql.internal.kernel.UnresolvedContactPointsException;
import io.opencql.grafana.backend.DataSourceSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionFactoryTest {

    @Test
    void contactPointsResolveKeepingTheirNamesForTls() {
        List<InetSocketAddress> a = SessionFactory.resolve(List.of(new CqlSettings.ContactPoint("localhost", 9042),
                new CqlSettings.ContactPoint("127.0.0.1", 9043), new CqlSettings.ContactPoint("no-such-host.invalid", 9042)));
        assertEquals("localhost", a.get(0).getHostString());
        assertEquals(9042, a.get(0).getPort());
        InetSocketAddress ip = a.stream().filter(x -> x.getPort() == 9043).findFirst().orElseThrow();
        assertEquals("127.0.0.1", ip.getHostString());
    }

    @Test
    void noResolvableContactPointIsAnError() {
        UnresolvedContactPointsException e = assertThrows(UnresolvedContactPointsException.class,
                () -> SessionFactory.resolve(List.of(new CqlSettings.ContactPoint("no-such-host.invalid", 9042),
                        new CqlSettings.ContactPoint("::1x", 1))));
        assertEquals(List.of("no-such-host.invalid:9042", "[::1x]:1"), e.contactPoints());
    }

    @Test
    void driverOptionsFollowTheSettings() throws Exception {
        CqlSettings s = SettingsParser.parse(new DataSourceSettings(1, "u", "n", null, null, null, false, null,
                "{\"connectTimeoutSeconds\":3,\"queryTimeoutSeconds\":12,\"pageSize\":77,\"consistency\":\"quorum\"}".getBytes(),
                Map.of(), 1, ""), Map.of());
        List<InetSocketAddress> points = List.of(new InetSocketAddress("127.0.0.2", 9042), new InetSocketAddress("::1", 9043));
        try (DriverConfigLoader loader = DriverConfig.session(s, "cql-x-1", points)) {
            DriverExecutionProfile p = loader.getInitialConfig().getDefaultProfile();
            assertEquals("cql-x-1", p.getString(DefaultDriverOption.SESSION_NAME));
            for (DefaultDriverOption o : new DefaultDriverOption[] {DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT,
                    DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, DefaultDriverOption.CONNECTION_SET_KEYSPACE_TIMEOUT,
                    DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT}) {
                assertEquals(Duration.ofSeconds(3), p.getDuration(o), o.getPath());
            }
            assertEquals(Duration.ofSeconds(12), p.getDuration(DefaultDriverOption.REQUEST_TIMEOUT));
            assertEquals(77, p.getInt(DefaultDriverOption.REQUEST_PAGE_SIZE));
            assertEquals("QUORUM", p.getString(DefaultDriverOption.REQUEST_CONSISTENCY));
            assertEquals(0, p.getInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD));
            assertEquals(0, p.getInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD));
            // no localDatacenter in the settings: the policy finds it from the contact points, in their order
            assertEquals(LocalDcPolicy.class.getName(), p.getString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS));
            assertEquals(List.of("127.0.0.2 9042", "0:0:0:0:0:0:0:1 9043"), p.getStringList(LocalDcPolicy.Option.CONTACT_POINTS));
            assertEquals(points, p.getStringList(LocalDcPolicy.Option.CONTACT_POINTS).stream().map(LocalDcPolicy::decode).toList());
            assertEquals(false, p.isDefined(DefaultDriverOption.AUTH_PROVIDER_PASSWORD), "no password in the config tree");
            // the bound on requests in flight (SessionBoundsIT): half a connection on the wire, a bounded wait
            assertEquals("ConcurrencyLimitingRequestThrottler", p.getString(DefaultDriverOption.REQUEST_THROTTLER_CLASS));
            assertEquals(512, p.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS));
            assertEquals(4096, p.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE));
            assertEquals(1024, p.getInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS));
        }
        CqlSettings named = SettingsParser.parse(new DataSourceSettings(1, "u", "n", null, null, null, false, null,
                "{\"localDatacenter\":\"dc1\"}".getBytes(), Map.of(), 1, ""), Map.of());
        try (DriverConfigLoader loader = DriverConfig.session(named, "cql-x-2", points)) {
            // a DC the settings name goes to the session builder; the driver's own policy then checks it
            DriverExecutionProfile p = loader.getInitialConfig().getDefaultProfile();
            assertEquals("DefaultLoadBalancingPolicy", p.getString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS));
            assertEquals(false, p.isDefined(LocalDcPolicy.Option.CONTACT_POINTS));
        }
    }
}
