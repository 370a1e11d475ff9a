package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoiseTest {

    @Test
    void unitNoiseFillsMinusOneToOneEvenly() {
        int[] buckets = new int[10];
        for (long i = 0; i < 100_000; i++) {
            double u = Noise.unit(42, i);
            assertTrue(u >= -1 && u < 1, "out of range: " + u);
            buckets[(int) ((u + 1) * 5)]++;
        }
        for (int b : buckets) {
            assertTrue(b > 9_000 && b < 11_000, "uneven: " + java.util.Arrays.toString(buckets));
        }
    }

    @Test
    void smoothNoiseHitsTheStepValuesAndIsContinuous() {
        long period = 60_000;
        assertEquals(Noise.unit(7, 3), Noise.smooth(7, 3 * period, period));
        assertEquals(Noise.unit(7, -2), Noise.smooth(7, -2 * period, period));
        double prev = Noise.smooth(7, 0, period);
        for (long t = 1000; t < 10 * period; t += 1000) {
            double v = Noise.smooth(7, t, period);
            assertTrue(Math.abs(v - prev) < 0.1, "jump at " + t);
            prev = v;
        }
    }
}
