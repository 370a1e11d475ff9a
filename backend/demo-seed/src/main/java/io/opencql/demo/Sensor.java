package io.opencql.demo;

import java.time.LocalDate;

/**
 * One simulated sensor and the parameters of its signal.
 *
 * @param baseTemperature  mean temperature, °C
 * @param dailySwing       amplitude of the day/night cycle, °C (peak at 15:00 UTC)
 * @param noise            amplitude of the smooth random walk on top, °C
 * @param baseHumidity     mean relative humidity, %
 * @param overheats        whether the sensor has periodic overheating episodes (the alert rule's target)
 * @param hasBarometer     whether the sensor reports pressure (NULL otherwise)
 * @param dropsOut         whether the sensor has periodic gaps without any rows (shows {@code fill})
 */
public record Sensor(
        String id,
        String site,
        String kind,
        String location,
        LocalDate installed,
        double baseTemperature,
        double dailySwing,
        double noise,
        double baseHumidity,
        boolean overheats,
        boolean hasBarometer,
        boolean dropsOut) {

    /** Above this the sensor reports status {@code warn}. */
    public double warnAbove() {
        return baseTemperature + dailySwing + 3.0;
    }

    /** Above this the sensor reports status {@code alarm}. */
    public double alarmAbove() {
        return baseTemperature + dailySwing + 6.0;
    }
}
