package io.opencql.grafana.backend;

import java.time.Instant;

/** A query's time range, epoch milliseconds as Grafana sends it. */
public record TimeRange(long fromEpochMs, long toEpochMs) {

    public Instant from() {
        return Instant.ofEpochMilli(fromEpochMs);
    }

    public Instant to() {
        return Instant.ofEpochMilli(toEpochMs);
    }
}
