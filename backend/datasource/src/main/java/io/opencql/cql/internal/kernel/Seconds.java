package io.opencql.cql.internal.kernel;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as operators read them in messages: "5 s", "0.5 s". */
public final class Seconds {
    private Seconds() {
    }

    public static String text(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }
}
