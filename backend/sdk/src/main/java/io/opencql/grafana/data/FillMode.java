package io.opencql.grafana.data;

/**
 * How {@link LongToWide} fills a cell of a series that has no row at that time.
 *
 * <ul>
 *   <li>{@link #NONE}: no fill, as Go's {@code LongToWide(frame, nil)}: the type's zero value ({@code 0.0}) when
 *       the value column is not nullable, {@code null} when it is.</li>
 *   <li>{@link #NULL}: {@code null}.</li>
 *   <li>{@link #PREVIOUS}: the series' previous cell (a real {@code null} stays {@code null}); {@code null}
 *       before the series' first value.</li>
 *   <li>{@link #value(double)}: the given number.</li>
 * </ul>
 */
public sealed interface FillMode permits FillMode.None, FillMode.Null, FillMode.Previous, FillMode.Value {

    FillMode NONE = new None();
    FillMode NULL = new Null();
    FillMode PREVIOUS = new Previous();

    static FillMode value(double v) {
        return new Value(v);
    }

    /**
     * Whether this mode can put a {@code null} in a series whose source column has none (Go makes the wide
     * field nullable for the null and previous modes only).
     */
    default boolean introducesNulls() {
        return this instanceof Null || this instanceof Previous;
    }

    record None() implements FillMode {
    }

    record Null() implements FillMode {
    }

    record Previous() implements FillMode {
    }

    record Value(double value) implements FillMode {
    }
}
