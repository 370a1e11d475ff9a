package io.opencql.cql.connect;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as operators read them in messages: "5 s", "0.5 s". */
final class Seconds {
    private Seconds() {
    }

    static String text(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }
}
