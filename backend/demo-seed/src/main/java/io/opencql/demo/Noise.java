package io.opencql.demo;

/**
 * Deterministic noise: the same (seed, time) always gives the same value, so reseeding rewrites identical
 * rows and tests elsewhere can compute what the node holds.
 */
final class Noise {

    private Noise() {}

    /** A value in [-1, 1] for the pair (seed, step); SplitMix64 finaliser, uniformly spread. */
    static double unit(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return ((z >>> 11) * 0x1.0p-53) * 2.0 - 1.0;
    }

    /**
     * Smooth noise in [-1, 1] over time: random values at whole {@code period} steps, joined by a
     * smoothstep curve, so a reading written live between two steps lies on the backfilled curve.
     */
    static double smooth(long seed, long epochMillis, long periodMillis) {
        long step = Math.floorDiv(epochMillis, periodMillis);
        double frac = (double) Math.floorMod(epochMillis, periodMillis) / periodMillis;
        double s = frac * frac * (3 - 2 * frac);
        return unit(seed, step) * (1 - s) + unit(seed, step + 1) * s;
    }
}
