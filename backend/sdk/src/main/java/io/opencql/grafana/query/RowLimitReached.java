package io.opencql.grafana.query;

import io.opencql.grafana.data.Notice;

/**
 * A driver's report that a query's rows stopped at a row limit: {@code rows} rows were kept and more were left, and
 * which limit it was, the query's own option or the data source's setting, by its key. The {@link QueryRunner}
 * words the notice (the same for every data source, as grafana/sqlds words its own).
 */
public record RowLimitReached(long rows, Origin origin, String key) {

    /** Where the limit that applied was set. */
    public enum Origin {
        QUERY("query option"), DATA_SOURCE("setting");

        private final String words;

        Origin(String words) {
            this.words = words;
        }
    }

    public RowLimitReached {
        if (rows < 0 || origin == null || key == null || key.isBlank()) {
            throw new IllegalArgumentException("a row limit needs rows >= 0, an origin and a key");
        }
    }

    /** The warning the query's frame carries. */
    public Notice notice() {
        return Notice.warning("Results have been limited to " + rows + " rows because the row limit was reached ("
                + origin.words + " " + key + ")");
    }
}
