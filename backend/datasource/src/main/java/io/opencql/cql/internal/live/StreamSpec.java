package io.opencql.cql.internal.live;

import io.opencql.grafana.data.TimeGroup;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opencql.cql.internal.query.QueryModel;
import io.opencql.grafana.backend.PluginContext;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a stream is: whose it is (org, tenant, data source uid) and the query keys that decide what it reads and
 * how its frames look (README "Query model"). {@code fill} and {@code fillValue} are left out: a stream's frames
 * are never converted long to wide. No settings and no secrets: the data source's current settings come with
 * each RunStream call.
 *
 * @param format           {@code table} or {@code time_series}
 * @param timeColumn       null: the first timestamp/date column
 * @param alias            null: none
 * @param rowLimit         0: the data source's
 */
record StreamSpec(long orgId, String tenantId, String dataSourceUid, String refId, String cql, String format,
                         String timeColumn, String alias, long rowLimit, long streamIntervalMs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public StreamSpec {
        tenantId = tenantId == null ? "" : tenantId;
        refId = refId == null ? "" : refId;
        Objects.requireNonNull(dataSourceUid, "dataSourceUid");
        Objects.requireNonNull(cql, "cql");
        if (!"table".equals(format) && !"time_series".equals(format)) {
            throw new IllegalArgumentException("format must be table or time_series, got " + format);
        }
        if (streamIntervalMs < QueryModel.MIN_STREAM_INTERVAL_MS) {
            throw new IllegalArgumentException("streamIntervalMs below " + QueryModel.MIN_STREAM_INTERVAL_MS + ": " + streamIntervalMs);
        }
    }

    /** The spec of a query QueryData answers for a data source. */
    public static StreamSpec of(PluginContext ctx, QueryModel model, String refId) {
        String uid = ctx.dataSource() == null ? null : ctx.dataSource().uid();
        return new StreamSpec(ctx.orgId(), ctx.tenantId(), uid == null ? "" : uid, refId, model.cql(),
                model.format() == QueryModel.Format.TIME_SERIES ? "time_series" : "table", model.timeColumn(), model.alias(),
                model.rowLimit(), model.streamIntervalMs());
    }

    /** The query model the tail runs. */
    public QueryModel model() {
        return new QueryModel(cql, "time_series".equals(format) ? QueryModel.Format.TIME_SERIES : QueryModel.Format.TABLE,
                timeColumn, alias, QueryModel.Fill.NONE, 0, rowLimit, true, streamIntervalMs, null, TimeGroup.Aggregate.AVG);
    }

    /** Whether a request's org, tenant and data source are this stream's. */
    public boolean belongsTo(PluginContext ctx) {
        return ctx.orgId() == orgId && ctx.tenantId().equals(tenantId) && ctx.dataSource() != null
                && dataSourceUid.equals(ctx.dataSource().uid());
    }

    public String id() {
        return StreamPath.id(this);
    }

    /** Keys in a fixed order, absent values left out: equal specs give equal bytes, so equal ids. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("orgId", orgId);
        o.put("tenantId", tenantId);
        o.put("dataSourceUid", dataSourceUid);
        o.put("refId", refId);
        o.put("cql", cql);
        o.put("format", format);
        if (timeColumn != null) {
            o.put("timeColumn", timeColumn);
        }
        if (alias != null) {
            o.put("alias", alias);
        }
        if (rowLimit > 0) {
            o.put("rowLimit", rowLimit);
        }
        o.put("streamIntervalMs", streamIntervalMs);
        return o;
    }

    public byte[] canonicalJson() {
        try {
            return JSON.writeValueAsString(toJson()).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws IllegalArgumentException when a key is missing or of the wrong type
     */
    public static StreamSpec fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("a stream spec must be a JSON object");
        }
        return new StreamSpec(number(o, "orgId", true), text(o, "tenantId", true), text(o, "dataSourceUid", true),
                text(o, "refId", true), text(o, "cql", true), text(o, "format", true), text(o, "timeColumn", false),
                text(o, "alias", false), number(o, "rowLimit", false), number(o, "streamIntervalMs", true));
    }

    private static String text(JsonNode o, String key, boolean required) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("stream spec key '" + key + "' is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("stream spec key '" + key + "' is not a string");
        }
        return v.asText();
    }

    private static long number(JsonNode o, String key, boolean required) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("stream spec key '" + key + "' is missing");
            }
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("stream spec key '" + key + "' is not a whole number");
        }
        return v.asLong();
    }
}
