package io.opencql.demo;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One row of {@code demo.sensor_readings}.
 *
 * @param pressure hPa, or {@code null} for sensors without a barometer (the column is left unset)
 * @param status   {@code ok}, {@code warn} or {@code alarm}
 */
public record Reading(
        String sensorId,
        LocalDate day,
        Instant ts,
        String site,
        double temperature,
        float humidity,
        Double pressure,
        int battery,
        String status) {}
