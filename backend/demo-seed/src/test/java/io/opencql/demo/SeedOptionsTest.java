package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeedOptionsTest {

    @Test
    void defaultGridIsSixHoursOfMinutesEndingAtTheLastWholeMinute() {
        SeedOptions.TimeGrid g = SeedOptions.defaults().grid(Instant.parse("2025-03-10T12:34:56.789Z"));
        assertEquals(360, g.count());
        assertEquals(Instant.parse("2025-03-10T12:34:00Z"), g.last());
        assertEquals(Instant.parse("2025-03-10T06:35:00Z"), g.first());
        assertEquals(g.last(), g.at(g.count() - 1));
    }

    @Test
    void fixedNowWinsOverTheClock() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        SeedOptions o = SeedOptions.defaults().withNow(now).withHistory(Duration.ofHours(1))
                .withStep(Duration.ofSeconds(10));
        SeedOptions.TimeGrid g = o.grid(Instant.parse("2030-01-01T00:00:00Z"));
        assertEquals(360, g.count());
        assertEquals(now, g.last());
        assertEquals(now.minusSeconds(3590), g.first());
    }

    @Test
    void zeroHistoryWritesNoReadings() {
        assertEquals(0, SeedOptions.defaults().withHistory(Duration.ZERO).grid(Instant.EPOCH).count());
    }

    @Test
    void rejectsNonsense() {
        SeedOptions d = SeedOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withStep(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withSensors(0));
        assertThrows(IllegalArgumentException.class, () -> d.withConcurrency(0));
        assertThrows(IllegalArgumentException.class, () -> d.withHistory(Duration.ofHours(-1)));
    }
}
