package io.opencql.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The signal of every sensor as a pure function of (sensor, time): a day/night cycle peaking at 15:00 UTC,
 * smooth noise, overheating episodes on the production lines, and periodic gaps on the loading dock.
 * Pure, so reseeding rewrites the same rows, live rows lie on the backfilled curve, and integration tests
 * can compute the values the node holds.
 */
public final class ReadingModel {

    /** Overheating sensors have one episode per cycle. */
    public static final Duration OVERHEAT_CYCLE = Duration.ofMinutes(120);
    /** Length of an overheating episode. */
    public static final Duration OVERHEAT_LENGTH = Duration.ofMinutes(12);
    /** Peak extra temperature in an episode, °C: enough to cross {@link #ALERT_THRESHOLD} even at night. */
    public static final double OVERHEAT_PEAK = 13.0;
    /**
     * Temperature above which the provisioned alert rule fires (provisioning/alerting): crossed in every
     * overheating episode of the production lines and never outside one.
     */
    public static final double ALERT_THRESHOLD = 35.0;
    /** Sensors that drop out are silent for {@link #GAP_LENGTH} once per cycle. */
    public static final Duration GAP_CYCLE = Duration.ofHours(6);
    public static final Duration GAP_LENGTH = Duration.ofMinutes(15);

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    /** An overheating episode, [start, end). */
    public record Episode(Sensor sensor, Instant start, Instant end) {}

    private ReadingModel() {}

    /** The reading of {@code sensor} at {@code ts}, or empty while the sensor is in a gap. */
    public static Optional<Reading> reading(Sensor sensor, Instant ts) {
        if (inGap(sensor, ts)) {
            return Optional.empty();
        }
        long ms = ts.toEpochMilli();
        long seed = sensor.id().hashCode();
        double t = temperature(sensor, ts);
        double humidity = sensor.baseHumidity() - 1.5 * (t - sensor.baseTemperature())
                + 3.0 * Noise.smooth(seed + 3, ms, Duration.ofMinutes(15).toMillis());
        humidity = Math.max(3.0, Math.min(99.0, humidity));
        Double pressure = null;
        if (sensor.hasBarometer()) {
            double cycle = 2 * Math.PI * ms / (3.3 * DAY_MS);
            pressure = round(1013.25 + 8.0 * Math.sin(cycle)
                    + 0.4 * Noise.smooth(seed + 4, ms, Duration.ofMinutes(20).toMillis()), 2);
        }
        LocalDate day = day(ts);
        long age = Math.max(0, ChronoUnit.DAYS.between(sensor.installed(), day));
        int battery = 100 - (int) (Math.floorMod(age, 120) * 80 / 120);
        String status = t > sensor.alarmAbove() ? "alarm" : t > sensor.warnAbove() ? "warn" : "ok";
        return Optional.of(new Reading(sensor.id(), day, ts, sensor.site(), t,
                (float) round(humidity, 1), pressure, battery, status));
    }

    /** Temperature in °C, rounded to 0.01 like a real sensor's resolution. */
    public static double temperature(Sensor sensor, Instant ts) {
        long ms = ts.toEpochMilli();
        long seed = sensor.id().hashCode();
        double dayFraction = (double) Math.floorMod(ms, DAY_MS) / DAY_MS;
        double t = sensor.baseTemperature()
                + sensor.dailySwing() * Math.sin(2 * Math.PI * (dayFraction - 9.0 / 24.0))
                + sensor.noise() * Noise.smooth(seed, ms, Duration.ofMinutes(10).toMillis())
                + 0.5 * sensor.noise() * Noise.smooth(seed + 1, ms, Duration.ofMinutes(1).toMillis());
        Optional<Episode> episode = episodeAt(sensor, ts);
        if (episode.isPresent()) {
            double f = (double) (ms - episode.get().start().toEpochMilli()) / OVERHEAT_LENGTH.toMillis();
            t += OVERHEAT_PEAK * Math.sin(Math.PI * f);
        }
        return round(t, 2);
    }

    /** Whether the sensor is silent (writes no row) at {@code ts}. */
    public static boolean inGap(Sensor sensor, Instant ts) {
        if (!sensor.dropsOut()) {
            return false;
        }
        long offset = Math.floorMod(ts.toEpochMilli() - phase(sensor, GAP_CYCLE), GAP_CYCLE.toMillis());
        return offset < GAP_LENGTH.toMillis();
    }

    /** The overheating episode under way at {@code ts}, if any. */
    public static Optional<Episode> episodeAt(Sensor sensor, Instant ts) {
        if (!sensor.overheats()) {
            return Optional.empty();
        }
        long cycle = OVERHEAT_CYCLE.toMillis();
        long phase = phase(sensor, OVERHEAT_CYCLE);
        long start = Math.floorDiv(ts.toEpochMilli() - phase, cycle) * cycle + phase;
        if (ts.toEpochMilli() - start < OVERHEAT_LENGTH.toMillis()) {
            Instant s = Instant.ofEpochMilli(start);
            return Optional.of(new Episode(sensor, s, s.plus(OVERHEAT_LENGTH)));
        }
        return Optional.empty();
    }

    /** Episodes of {@code sensor} that start in [from, to). */
    public static List<Episode> episodesStarting(Sensor sensor, Instant from, Instant to) {
        List<Episode> out = new ArrayList<>();
        if (!sensor.overheats() || !from.isBefore(to)) {
            return out;
        }
        long cycle = OVERHEAT_CYCLE.toMillis();
        long phase = phase(sensor, OVERHEAT_CYCLE);
        long start = Math.floorDiv(from.toEpochMilli() - phase - 1, cycle) * cycle + phase + cycle;
        for (long s = start; s < to.toEpochMilli(); s += cycle) {
            if (s >= from.toEpochMilli()) {
                Instant i = Instant.ofEpochMilli(s);
                out.add(new Episode(sensor, i, i.plus(OVERHEAT_LENGTH)));
            }
        }
        return out;
    }

    /** The UTC day bucket of a timestamp (the {@code day} partition key column). */
    public static LocalDate day(Instant ts) {
        return LocalDate.ofInstant(ts, ZoneOffset.UTC);
    }

    /** Whole minutes of offset per sensor, so the episodes of different sensors do not coincide. */
    private static long phase(Sensor sensor, Duration cycle) {
        long minutes = cycle.toMinutes();
        return Math.floorMod((long) sensor.id().hashCode() * 37, minutes) * 60_000L;
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
