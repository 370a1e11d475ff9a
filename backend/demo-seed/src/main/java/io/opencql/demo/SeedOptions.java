package io.opencql.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to seed.
 *
 * @param keyspace    keyspace to create and fill (the bundled CQL is written for {@code demo})
 * @param history     how far back readings go from {@code now}
 * @param step        spacing of the backfilled readings
 * @param sensors     number of sensors: the 8 built-in ones first, then synthetic ones
 * @param now         end of the backfill, or {@code null} for the current time
 * @param concurrency requests in flight at most
 * @param dropFirst   drop the keyspace before creating it
 */
public record SeedOptions(
        String keyspace,
        Duration history,
        Duration step,
        int sensors,
        Instant now,
        int concurrency,
        boolean dropFirst) {

    public static final String DEFAULT_KEYSPACE = CqlScript.RESOURCE_KEYSPACE;
    public static final Duration DEFAULT_HISTORY = Duration.ofHours(6);
    public static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
    public static final int DEFAULT_CONCURRENCY = 32;

    public SeedOptions {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(step, "step");
        if (history.isNegative()) {
            throw new IllegalArgumentException("history must not be negative: " + history);
        }
        if (step.toMillis() < 1) {
            throw new IllegalArgumentException("step must be at least 1 ms: " + step);
        }
        if (sensors < 1) {
            throw new IllegalArgumentException("sensors must be at least 1: " + sensors);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
    }

    /** 6 hours of 1-minute readings of the 8 built-in sensors, in keyspace {@code demo}, up to now. */
    public static SeedOptions defaults() {
        return new SeedOptions(DEFAULT_KEYSPACE, DEFAULT_HISTORY, DEFAULT_STEP, SensorCatalog.BUILT_IN.size(),
                null, DEFAULT_CONCURRENCY, false);
    }

    public SeedOptions withKeyspace(String v) {
        return new SeedOptions(v, history, step, sensors, now, concurrency, dropFirst);
    }

    public SeedOptions withHistory(Duration v) {
        return new SeedOptions(keyspace, v, step, sensors, now, concurrency, dropFirst);
    }

    public SeedOptions withStep(Duration v) {
        return new SeedOptions(keyspace, history, v, sensors, now, concurrency, dropFirst);
    }

    public SeedOptions withSensors(int v) {
        return new SeedOptions(keyspace, history, step, v, now, concurrency, dropFirst);
    }

    /** Fixes the end of the backfill (tests: a known time range instead of "now"). */
    public SeedOptions withNow(Instant v) {
        return new SeedOptions(keyspace, history, step, sensors, v, concurrency, dropFirst);
    }

    public SeedOptions withConcurrency(int v) {
        return new SeedOptions(keyspace, history, step, sensors, now, v, dropFirst);
    }

    public SeedOptions withDropFirst(boolean v) {
        return new SeedOptions(keyspace, history, step, sensors, now, concurrency, v);
    }

    /** Timestamps of the backfill: multiples of {@code step} in (end - history, end], end = now floored to step. */
    public TimeGrid grid(Instant currentTime) {
        Instant end = now != null ? now : currentTime;
        long s = step.toMillis();
        long last = Math.floorDiv(end.toEpochMilli(), s) * s;
        long count = history.toMillis() / s;
        return new TimeGrid(Instant.ofEpochMilli(last - (count - 1) * s), Instant.ofEpochMilli(last), step, count);
    }

    /** {@code count} instants from {@code first} to {@code last} inclusive, {@code step} apart. */
    public record TimeGrid(Instant first, Instant last, Duration step, long count) {
        public Instant at(long i) {
            return first.plusMillis(i * step.toMillis());
        }
    }
}
