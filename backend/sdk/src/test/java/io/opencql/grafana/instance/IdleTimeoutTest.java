package io.opencql.grafana.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest {

    @Test
    void defaultIsTenMinutes() {
        assertEquals(Duration.ofMinutes(10), IdleTimeout.fromEnvironment(Map.of()));
        assertEquals(Duration.ofMinutes(10), IdleTimeout.fromEnvironment(Map.of(IdleTimeout.ENV, " ")));
    }

    @Test
    void goDurationsAndSeconds() {
        assertEquals(Duration.ofSeconds(90), IdleTimeout.parse("90s"));
        assertEquals(Duration.ofMinutes(90), IdleTimeout.parse("1h30m"));
        assertEquals(Duration.ofMillis(1500), IdleTimeout.parse("1s500ms"));
        assertEquals(Duration.ofSeconds(600), IdleTimeout.parse("600"));
        assertEquals(Duration.ZERO, IdleTimeout.parse("0"));
    }

    @Test
    void anythingElseNamesTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdleTimeout.parse("ten minutes"));
        assertEquals("GF_PLUGIN_INSTANCE_IDLE_TIMEOUT (grafana.ini [plugin.<id>] instance_idle_timeout) must be a duration such as"
                + " 10m, 90s or 0, got \"ten minutes\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdleTimeout.parse("10x"));
        assertThrows(IllegalArgumentException.class, () -> IdleTimeout.parse("-5m"));
    }
}
