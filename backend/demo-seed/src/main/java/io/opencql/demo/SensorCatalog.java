package io.opencql.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The demo's sensors: eight hand-made ones on three sites, then as many synthetic ones as asked for. */
public final class SensorCatalog {

    /** The hand-made sensors, in the order {@link #sensors(int)} returns them. */
    public static final List<Sensor> BUILT_IN = List.of(
            new Sensor("hq-office-1", "hq", "hvac", "HQ, 2nd floor open space",
                    LocalDate.of(2023, 3, 14), 21.5, 1.5, 0.3, 45, false, false, false),
            new Sensor("hq-office-2", "hq", "hvac", "HQ, 3rd floor meeting rooms",
                    LocalDate.of(2023, 3, 14), 22.0, 2.0, 0.4, 42, false, false, false),
            new Sensor("hq-server-room", "hq", "server-room", "HQ, basement server room",
                    LocalDate.of(2022, 11, 2), 18.5, 0.5, 0.2, 35, false, false, false),
            new Sensor("plant-line-1", "plant", "production-line", "Plant, assembly line 1",
                    LocalDate.of(2024, 1, 8), 27.0, 3.0, 0.5, 55, true, false, false),
            new Sensor("plant-line-2", "plant", "production-line", "Plant, assembly line 2",
                    LocalDate.of(2024, 1, 8), 28.0, 3.0, 0.5, 58, true, false, false),
            new Sensor("plant-yard", "plant", "outdoor", "Plant, yard weather station",
                    LocalDate.of(2021, 6, 30), 12.0, 8.0, 0.8, 70, false, true, false),
            new Sensor("wh-freezer-1", "warehouse", "freezer", "Warehouse, freezer room 1",
                    LocalDate.of(2022, 9, 19), -19.0, 0.8, 0.3, 80, false, false, false),
            new Sensor("wh-dock", "warehouse", "loading-dock", "Warehouse, loading dock",
                    LocalDate.of(2022, 9, 19), 9.0, 6.0, 0.7, 65, false, true, true));

    private SensorCatalog() {}

    /** The first {@code count} sensors: the built-in ones, then {@code sim-0001}, {@code sim-0002}, … */
    public static List<Sensor> sensors(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one sensor, got " + count);
        }
        List<Sensor> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(i < BUILT_IN.size() ? BUILT_IN.get(i) : synthetic(i - BUILT_IN.size() + 1));
        }
        return List.copyOf(out);
    }

    private static Sensor synthetic(int n) {
        String id = String.format("sim-%04d", n);
        // spread the parameters deterministically so synthetic series do not overlap exactly
        double u = Noise.unit(id.hashCode(), 0);
        return new Sensor(id, "sim", "simulated", "Simulated sensor " + n, LocalDate.of(2024, 6, 1),
                15.0 + 10.0 * u, 1.0 + 3.0 * Math.abs(u), 0.5, 50 + 20 * u, n % 10 == 0, n % 3 == 0, false);
    }
}
