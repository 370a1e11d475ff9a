package io.opencql.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The annotation events of the demo, a pure function of time like the readings: each overheating episode
 * (a region), plant shift changes (points), HVAC filter checks at HQ (regions) and freezer door openings.
 */
public final class DemoEvents {

    private DemoEvents() {}

    /** Events of the given sensors' sites that start in [from, to), ordered by time. */
    public static List<DemoEvent> between(List<Sensor> sensors, Instant from, Instant to) {
        List<DemoEvent> out = new ArrayList<>();
        boolean plant = false;
        boolean hq = false;
        boolean warehouse = false;
        for (Sensor s : sensors) {
            for (ReadingModel.Episode e : ReadingModel.episodesStarting(s, from, to)) {
                out.add(event(e.start(), e.end(), s.site(),
                        s.id() + ": overheating, line slowed down", "overheat," + s.site() + "," + s.id()));
            }
            plant |= s.site().equals("plant");
            hq |= s.site().equals("hq");
            warehouse |= s.site().equals("warehouse");
        }
        if (plant) {
            for (Instant t : every(Duration.ofHours(8), Duration.ofHours(6), from, to)) {
                out.add(event(t, null, "plant", "Shift change at the plant", "shift,plant"));
            }
        }
        if (hq) {
            for (Instant t : every(Duration.ofHours(4), Duration.ofMinutes(105), from, to)) {
                out.add(event(t, t.plus(Duration.ofMinutes(20)), "hq", "HVAC filter check", "maintenance,hvac,hq"));
            }
        }
        if (warehouse) {
            for (Instant t : every(Duration.ofMinutes(150), Duration.ofMinutes(37), from, to)) {
                out.add(event(t, null, "warehouse", "Freezer room 1 door opened for a delivery",
                        "door,warehouse,wh-freezer-1"));
            }
        }
        out.sort(Comparator.comparing(DemoEvent::time));
        return out;
    }

    private static DemoEvent event(Instant time, Instant end, String site, String text, String tags) {
        return new DemoEvent(ReadingModel.day(time), time, end, site, text, tags);
    }

    /** Instants {@code offset + k * period} (since the epoch) in [from, to). */
    static List<Instant> every(Duration period, Duration offset, Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        long p = period.toMillis();
        long o = offset.toMillis();
        long first = Math.floorDiv(from.toEpochMilli() - o + p - 1, p) * p + o;
        for (long t = first; t < to.toEpochMilli(); t += p) {
            out.add(Instant.ofEpochMilli(t));
        }
        return out;
    }
}
