package io.opencql.demo;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@link DemoSeed#seed} wrote.
 *
 * @param first          timestamp of the oldest backfilled reading
 * @param last           timestamp of the newest backfilled reading
 * @param vectorColumn   whether {@code all_types.c_vector} exists (the server has the vector type)
 * @param skipped        optional statements the server refused
 */
public record SeedReport(
        String keyspace,
        int sensors,
        long readings,
        long events,
        int allTypesRows,
        Instant first,
        Instant last,
        boolean vectorColumn,
        int skipped,
        Duration elapsed) {

    @Override
    public String toString() {
        return String.format("keyspace %s: %d sensors, %d readings (%s .. %s), %d events, %d all_types rows%s,"
                        + " %d optional statements skipped, in %.2f s",
                keyspace, sensors, readings, first, last, events, allTypesRows,
                vectorColumn ? " (with vector column)" : " (no vector column: server lacks the type)",
                skipped, elapsed.toMillis() / 1000.0);
    }
}
