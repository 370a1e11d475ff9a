package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SemverRangeTest {

    @Test
    void comparators() {
        assertTrue(SemverRange.satisfies(">=10.4.0", "12.4.10"));
        assertTrue(SemverRange.satisfies(">=10.4.0", "10.4.0"));
        assertFalse(SemverRange.satisfies(">=10.4.0", "10.3.9"));
        assertTrue(SemverRange.satisfies(">=10.4.0 <13", "12.9.9"));
        assertFalse(SemverRange.satisfies(">=10.4.0 <13", "13.0.0"));
        assertTrue(SemverRange.satisfies("<10 || >=12.1.0", "12.1.0"));
        assertFalse(SemverRange.satisfies("<10 || >=12.1.0", "11.0.0"));
        assertTrue(SemverRange.satisfies("^12.2.0", "12.9.1"));
        assertFalse(SemverRange.satisfies("^12.2.0", "13.0.0"));
        assertTrue(SemverRange.satisfies("~12.4.0", "12.4.10"));
        assertFalse(SemverRange.satisfies("~12.4.0", "12.5.0"));
        assertTrue(SemverRange.satisfies("12", "12.3.0"));
        assertTrue(SemverRange.satisfies(">=10.4.0", "12.4.10-security-01"));
    }

    @Test
    void unsupportedSyntaxFailsLoudly() {
        assertThrows(IllegalArgumentException.class, () -> SemverRange.satisfies(">=10.x", "12.0.0"));
        assertThrows(IllegalArgumentException.class, () -> SemverRange.satisfies(">=10.4.0", "latest"));
    }
}
