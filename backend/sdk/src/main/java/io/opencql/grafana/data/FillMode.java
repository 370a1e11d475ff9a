package io.opencql.grafana.data;

/**
 * PLACEHOLDER for the SDK's FillMode (branch {@code frames}); same API, dropped at merge.
 * How {@link LongToWide} fills a cell of a series that has no row at that time.
 */
public sealed interface FillMode permits FillMode.None, FillMode.Null, FillMode.Previous, FillMode.Value {

    FillMode NONE = new None();
    FillMode NULL = new Null();
    FillMode PREVIOUS = new Previous();

    static FillMode value(double v) {
        return new Value(v);
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
