package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoEventsTest {

    private static final Instant T0 = Instant.parse("2025-03-10T00:00:00Z");

    @Test
    void sixHoursOfEventsAreOrderedInRangeAndWellFormed() {
        Instant to = T0.plus(Duration.ofHours(6));
        List<DemoEvent> events = DemoEvents.between(SensorCatalog.BUILT_IN, T0, to);
        assertFalse(events.isEmpty());
        Instant prev = Instant.MIN;
        for (DemoEvent e : events) {
            assertFalse(e.time().isBefore(T0), e.toString());
            assertTrue(e.time().isBefore(to), e.toString());
            assertFalse(e.time().isBefore(prev), "sorted");
            prev = e.time();
            assertEquals(ReadingModel.day(e.time()), e.day());
            if (e.timeEnd() != null) {
                assertTrue(e.timeEnd().isAfter(e.time()), "a region ends after it starts: " + e);
            }
            assertFalse(e.tags().isBlank());
            assertFalse(e.tags().contains(" "), "comma-separated without spaces: " + e.tags());
        }
        // 3 episodes per production line, 2 HVAC checks (01:45, 05:45), freezer door at 00:37, 03:07, 05:37
        assertEquals(6, events.stream().filter(e -> e.tags().startsWith("overheat")).count());
        assertEquals(0, events.stream().filter(e -> e.tags().startsWith("shift")).count(),
                "shift changes at 06:00, 14:00, 22:00: 06:00 is the excluded end");
        assertEquals(2, events.stream().filter(e -> e.tags().startsWith("maintenance")).count());
        assertEquals(3, events.stream().filter(e -> e.tags().startsWith("door")).count());
    }

    @Test
    void splittingARangeGivesTheSameEvents() {
        // follow mode asks interval by interval; together the intervals must give what one query gives
        Instant mid = T0.plus(Duration.ofMinutes(217));
        Instant end = T0.plus(Duration.ofHours(9));
        List<DemoEvent> whole = DemoEvents.between(SensorCatalog.BUILT_IN, T0, end);
        List<DemoEvent> parts = new java.util.ArrayList<>(DemoEvents.between(SensorCatalog.BUILT_IN, T0, mid));
        parts.addAll(DemoEvents.between(SensorCatalog.BUILT_IN, mid, end));
        assertEquals(whole, parts);
    }

    @Test
    void onlySitesThatHaveSensorsGetEvents() {
        List<DemoEvent> hqOnly = DemoEvents.between(SensorCatalog.sensors(3), T0, T0.plus(Duration.ofDays(1)));
        assertTrue(hqOnly.stream().allMatch(e -> e.site().equals("hq")), hqOnly.toString());
    }

    @Test
    void everyIsHalfOpenAndAligned() {
        List<Instant> l = DemoEvents.every(Duration.ofHours(1), Duration.ofMinutes(15),
                T0.plus(Duration.ofMinutes(15)), T0.plus(Duration.ofHours(2).plusMinutes(15)));
        assertEquals(List.of(T0.plus(Duration.ofMinutes(15)), T0.plus(Duration.ofMinutes(75))), l);
    }
}
