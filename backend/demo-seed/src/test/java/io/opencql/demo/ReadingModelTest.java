package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadingModelTest {

    private static final Instant T0 = Instant.parse("2025-03-10T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static Sensor sensor(String id) {
        return SensorCatalog.BUILT_IN.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void sameInputSameReading() {
        for (Sensor s : SensorCatalog.BUILT_IN) {
            Instant t = T0.plusSeconds(12_345);
            assertEquals(ReadingModel.reading(s, t), ReadingModel.reading(s, t));
        }
    }

    @Test
    void dayBucketIsTheUtcDate() {
        Reading r = ReadingModel.reading(sensor("hq-office-1"), Instant.parse("2025-03-10T23:59:59.999Z")).orElseThrow();
        assertEquals(LocalDate.of(2025, 3, 10), r.day());
        r = ReadingModel.reading(sensor("hq-office-1"), Instant.parse("2025-03-11T00:00:00Z")).orElseThrow();
        assertEquals(LocalDate.of(2025, 3, 11), r.day());
    }

    @Test
    void valuesStayPlausibleOverTwoDays() {
        for (Sensor s : SensorCatalog.sensors(12)) {
            for (Instant t = T0; t.isBefore(T0.plus(Duration.ofDays(2))); t = t.plus(MINUTE)) {
                Optional<Reading> o = ReadingModel.reading(s, t);
                if (o.isEmpty()) {
                    continue;
                }
                Reading r = o.get();
                double spread = s.dailySwing() + 2 * s.noise() + ReadingModel.OVERHEAT_PEAK + 0.01;
                assertTrue(Math.abs(r.temperature() - s.baseTemperature()) <= spread, s.id() + " " + r);
                assertTrue(r.humidity() >= 3 && r.humidity() <= 99, r.toString());
                assertTrue(r.battery() > 0 && r.battery() <= 100, r.toString());
                assertEquals(s.hasBarometer(), r.pressure() != null, r.toString());
                String expected = r.temperature() > s.alarmAbove() ? "alarm" : r.temperature() > s.warnAbove() ? "warn" : "ok";
                assertEquals(expected, r.status());
                assertEquals(s.site(), r.site());
            }
        }
    }

    @Test
    void liveReadingsLieOnTheBackfilledCurve() {
        // the follow mode writes every 5 s; consecutive values must not jump (smooth noise, no re-randomising)
        Sensor s = sensor("hq-office-2");
        double prev = ReadingModel.temperature(s, T0);
        for (Instant t = T0.plusSeconds(5); t.isBefore(T0.plus(Duration.ofHours(3))); t = t.plusSeconds(5)) {
            double v = ReadingModel.temperature(s, t);
            assertTrue(Math.abs(v - prev) < 0.25, "jump at " + t + ": " + prev + " -> " + v);
            prev = v;
        }
    }

    @Test
    void loadingDockDropsOutFifteenMinutesEverySixHours() {
        Sensor dock = sensor("wh-dock");
        int silent = 0;
        for (Instant t = T0; t.isBefore(T0.plus(Duration.ofDays(1))); t = t.plus(MINUTE)) {
            if (ReadingModel.reading(dock, t).isEmpty()) {
                silent++;
            }
        }
        assertEquals(4 * 15, silent);
        for (Sensor s : SensorCatalog.BUILT_IN) {
            if (!s.dropsOut()) {
                assertFalse(ReadingModel.inGap(s, T0.plusSeconds(4321)));
            }
        }
    }

    @Test
    void productionLinesCrossTheAlertThresholdOnlyWhileOverheating() {
        // provisioning/alerting fires above ReadingModel.ALERT_THRESHOLD; every episode must trigger it, and
        // nothing else may (ProvisioningConsistencyTest checks the rule uses this threshold)
        for (String id : List.of("plant-line-1", "plant-line-2")) {
            Sensor s = sensor(id);
            Instant end = T0.plus(Duration.ofDays(3));
            List<ReadingModel.Episode> episodes = ReadingModel.episodesStarting(s, T0, end);
            assertEquals(36, episodes.size(), "one per 2 h over 3 days");
            for (ReadingModel.Episode e : episodes) {
                double max = 0;
                for (Instant t = e.start(); t.isBefore(e.end()); t = t.plus(MINUTE)) {
                    max = Math.max(max, ReadingModel.temperature(s, t));
                    assertEquals(Optional.of(e), ReadingModel.episodeAt(s, t));
                }
                assertTrue(max > ReadingModel.ALERT_THRESHOLD, id + " episode at " + e.start() + " peaks at " + max);
                assertEquals(ReadingModel.OVERHEAT_LENGTH, Duration.between(e.start(), e.end()));
            }
            for (Instant t = T0; t.isBefore(end); t = t.plus(MINUTE)) {
                if (ReadingModel.episodeAt(s, t).isEmpty()) {
                    assertTrue(ReadingModel.temperature(s, t) < ReadingModel.ALERT_THRESHOLD, id + " at " + t);
                }
            }
        }
        for (Sensor s : SensorCatalog.BUILT_IN) {
            if (!s.overheats()) {
                assertTrue(ReadingModel.episodesStarting(s, T0, T0.plus(Duration.ofDays(1))).isEmpty());
            }
        }
    }

    @Test
    void episodesStartingIsHalfOpen() {
        Sensor s = sensor("plant-line-1");
        ReadingModel.Episode e = ReadingModel.episodesStarting(s, T0, T0.plus(Duration.ofHours(2))).get(0);
        assertEquals(List.of(e), ReadingModel.episodesStarting(s, e.start(), e.start().plusMillis(1)));
        assertTrue(ReadingModel.episodesStarting(s, e.start().plusMillis(1), e.start().plus(Duration.ofHours(2))).isEmpty());
        assertTrue(ReadingModel.episodesStarting(s, e.start(), e.start()).isEmpty());
    }

    @Test
    void pressureOnlyWhereThereIsABarometer() {
        assertNotNull(ReadingModel.reading(sensor("plant-yard"), T0).orElseThrow().pressure());
        assertNull(ReadingModel.reading(sensor("hq-office-1"), T0).orElseThrow().pressure());
    }
}
