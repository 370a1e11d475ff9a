package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SensorCatalogTest {

    @Test
    void builtInSensorsSpanThreeSitesWithUniqueIds() {
        List<Sensor> s = SensorCatalog.sensors(8);
        assertEquals(SensorCatalog.BUILT_IN, s);
        assertEquals(8, s.stream().map(Sensor::id).distinct().count());
        assertEquals(Set.of("hq", "plant", "warehouse"), s.stream().map(Sensor::site).collect(Collectors.toSet()));
        assertTrue(s.stream().anyMatch(Sensor::overheats));
        assertTrue(s.stream().anyMatch(Sensor::dropsOut));
        assertTrue(s.stream().anyMatch(Sensor::hasBarometer));
    }

    @Test
    void moreSensorsAreSyntheticAndStable() {
        List<Sensor> s = SensorCatalog.sensors(1000);
        assertEquals(1000, s.stream().map(Sensor::id).distinct().count());
        assertEquals("sim-0001", s.get(8).id());
        assertEquals("sim-0992", s.get(999).id());
        assertEquals(s, SensorCatalog.sensors(1000));
        assertThrows(IllegalArgumentException.class, () -> SensorCatalog.sensors(0));
    }
}
