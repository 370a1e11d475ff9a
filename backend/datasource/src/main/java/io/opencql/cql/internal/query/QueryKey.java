package io.opencql.cql.internal.query;

import io.opencql.grafana.data.TimeGroup;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every key of a query object the editor writes, its JSON type and its default: the one declaration
 * {@link QueryModel} takes its defaults from, and that contract/query.json is generated from (the frontend, the
 * README's "Query model" table and the provisioned dashboards are tested against it). A null default means none:
 * the key is absent unless the user sets it (or, where the README says so, a fallback: the data source's row
 * limit, the first timestamp column).
 */
public enum QueryKey {
    CQL("cql", Type.STRING, null),
    FORMAT("format", Type.STRING, QueryModel.Format.TABLE),
    TIME_COLUMN("timeColumn", Type.STRING, null),
    ALIAS("alias", Type.STRING, null),
    FILL("fill", Type.STRING, QueryModel.Fill.NONE),
    FILL_VALUE("fillValue", Type.NUMBER, 0.0),
    ROW_LIMIT("rowLimit", Type.NUMBER, null),
    STREAM("stream", Type.BOOLEAN, false),
    STREAM_INTERVAL_MS("streamIntervalMs", Type.NUMBER, 1000L, 250L),
    TIME_GROUP("timeGroup", Type.STRING, null),
    AGGREGATE("aggregate", Type.STRING, TimeGroup.Aggregate.AVG),
    TIME_GROUP_ON_NODE("timeGroupOnNode", Type.BOOLEAN, true),
    /** Editor only: which editor shows the query; the backend never reads it (absent means {@code code}). */
    EDITOR_MODE("editorMode", Type.STRING, true, List.of("builder", "code")),
    /** Editor only: the builder's fields; the backend runs the CQL the builder wrote into {@code cql}. */
    BUILDER("builder", Type.OBJECT, true, List.of());

    /** How the value is written in the query's JSON. */
    public enum Type { STRING, NUMBER, BOOLEAN, OBJECT }

    private final String key;
    private final Type type;
    private final Object defaultValue;
    private final Long minimum;
    private final boolean editorOnly;
    private final List<String> editorValues;

    QueryKey(String key, Type type, Object defaultValue) {
        this(key, type, defaultValue, null);
    }

    QueryKey(String key, Type type, Object defaultValue, Long minimum) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.minimum = minimum;
        this.editorOnly = false;
        this.editorValues = List.of();
    }

    /** An editor-only key: no default the backend applies, and a fixed set of values (empty: any). */
    QueryKey(String key, Type type, boolean editorOnly, List<String> values) {
        this.key = key;
        this.type = type;
        this.defaultValue = null;
        this.minimum = null;
        this.editorOnly = editorOnly;
        this.editorValues = values;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** True for keys only the editor reads; {@link QueryModel} ignores them. */
    public boolean editorOnly() {
        return editorOnly;
    }

    /** The default, typed as {@link QueryModel} holds it ({@code Format}, {@code Long}, ...); null: none. */
    public <T> T defaultValue(Class<T> type) {
        return type.cast(defaultValue);
    }

    /** The least value the parser accepts, or null when the README states none. */
    public Long minimum() {
        return minimum;
    }

    /** The only values the key takes, as the editor writes them ({@code time_series}); empty: any of its type. */
    public List<String> allowedValues() {
        if (defaultValue instanceof Enum<?> e) {
            return Arrays.stream(e.getDeclaringClass().getEnumConstants()).map(QueryKey::wire).toList();
        }
        return editorValues;
    }

    /** The default as the editor writes it ({@code time_series}, {@code 0}); null when there is none. */
    public Object wireDefault() {
        if (defaultValue instanceof Enum<?> e) {
            return wire(e);
        }
        if (defaultValue instanceof Double d && d == Math.rint(d)) {
            return d.longValue();
        }
        return defaultValue;
    }

    private static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
