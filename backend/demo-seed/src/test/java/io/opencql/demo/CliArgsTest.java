package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliArgsTest {

    @Test
    void defaultsWithoutArgumentsOrEnvironment() {
        CliArgs a = CliArgs.parse(new String[0], Map.of());
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 9042)), a.connect().contactPoints());
        assertNull(a.connect().localDatacenter());
        assertNull(a.connect().username());
        assertEquals("demo", a.seed().keyspace());
        assertEquals(Duration.ofHours(6), a.seed().history());
        assertEquals(Duration.ofMinutes(1), a.seed().step());
        assertEquals(8, a.seed().sensors());
        assertFalse(a.follow());
        assertEquals(Duration.ofSeconds(5), a.followInterval());
        assertEquals(Duration.ofMinutes(2), a.connect().waitFor());
    }

    @Test
    void environmentConfiguresAndFlagsWin() {
        Map<String, String> env = Map.of("CQL_CONTACT_POINTS", "scylla:9042", "CQL_USERNAME", "cassandra",
                "CQL_PASSWORD", "secret", "DEMO_HOURS", "24", "DEMO_FOLLOW", "true", "CQL_LOCAL_DC", "dc1");
        CliArgs a = CliArgs.parse(new String[] {"--hours", "0.5", "--keyspace=other", "--step-seconds", "10"}, env);
        assertEquals(List.of(InetSocketAddress.createUnresolved("scylla", 9042)), a.connect().contactPoints());
        assertEquals("cassandra", a.connect().username());
        assertEquals("secret", a.connect().password());
        assertEquals("dc1", a.connect().localDatacenter());
        assertEquals(Duration.ofMinutes(30), a.seed().history());
        assertEquals(Duration.ofSeconds(10), a.seed().step());
        assertEquals("other", a.seed().keyspace());
        assertTrue(a.follow());
        assertFalse(a.connect().toString().contains("secret"), "the password never appears in messages");
    }

    @Test
    void contactPointForms() {
        assertEquals(List.of(InetSocketAddress.createUnresolved("a", 9042), InetSocketAddress.createUnresolved("b", 19042),
                        InetSocketAddress.createUnresolved("::1", 9042), InetSocketAddress.createUnresolved("fe80::1", 9142)),
                ConnectOptions.parseContactPoints(" a , b:19042,::1,[fe80::1]:9142", 9042));
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.parseContactPoints("a:0", 9042));
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.parseContactPoints("a:x", 9042));
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.parseContactPoints(" , ", 9042));
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.parseContactPoints("[::1", 9042));
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CliArgs.parse(new String[] {"--hours"}, Map.of()));
        assertTrue(e.getMessage().contains("--hours"));
        e = assertThrows(IllegalArgumentException.class, () -> CliArgs.parse(new String[] {"--nope", "1"}, Map.of()));
        assertTrue(e.getMessage().contains("--nope"));
        e = assertThrows(IllegalArgumentException.class, () -> CliArgs.parse(new String[] {"--sensors", "-2"}, Map.of()));
        assertTrue(e.getMessage().contains("--sensors"));
        e = assertThrows(IllegalArgumentException.class,
                () -> CliArgs.parse(new String[] {"--username", "u"}, Map.of()));
        assertTrue(e.getMessage().contains("password"));
        assertTrue(CliArgs.parse(new String[] {"--help"}, Map.of()).help());
    }
}
