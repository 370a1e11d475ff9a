package io.opencql.cql.connect;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.opencql.cql.failure.Failure;
import io.opencql.cql.kernel.CqlInstance;
import io.opencql.cql.kernel.CqlSettings;
import io.opencql.cql.kernel.InvalidSettingsException;
import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The editor's schema lookups, read from {@code system_schema} (always current, and it already holds each
 * column's kind and its type as CQL text):
 * <ul>
 *   <li>{@code GET keyspaces} → {@code ["ks1","ks2"]}, sorted</li>
 *   <li>{@code GET tables?keyspace=K} → table and materialized view names, sorted</li>
 *   <li>{@code GET columns?keyspace=K&table=T} → {@code [{"name","type","kind"}]}, partition key and clustering
 *       columns in key order, then static and regular columns by name</li>
 * </ul>
 * Names are as stored (case-sensitive, unquoted). Errors are {@code {"error": "..."}}: 400 a missing parameter,
 * 404 an unknown resource, keyspace or table, 405 a method other than GET, 502 when the cluster cannot be used.
 */
public final class SchemaResources {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PATHS = List.of("keyspaces", "tables", "columns");
    private static final Map<String, Integer> KIND_ORDER = Map.of("partition_key", 0, "clustering", 1, "static", 2, "regular", 3);

    private SchemaResources() {
    }

    /** Answers without touching the cluster when the request itself is wrong; null when it is fine. */
    public static CallResourceResponse reject(CallResourceRequest req) {
        String path = path(req);
        if (!PATHS.contains(path)) {
            return error(404, "unknown resource \"" + path + "\"; available: " + String.join(", ", PATHS));
        }
        if (!req.method().equalsIgnoreCase("GET")) {
            return new CallResourceResponse(405, Map.of("Content-Type", List.of("application/json"), "Allow", List.of("GET")),
                    json(Map.of("error", "method " + req.method() + " not allowed on " + path + "; use GET")).getBytes(
                            java.nio.charset.StandardCharsets.UTF_8));
        }
        Map<String, String> params = req.queryParameters();
        if (!path.equals("keyspaces") && blank(params.get("keyspace"))) {
            return error(400, "missing query parameter keyspace (" + path + "?keyspace=K" + (path.equals("columns") ? "&table=T" : "") + ")");
        }
        if (path.equals("columns") && blank(params.get("table"))) {
            return error(400, "missing query parameter table (columns?keyspace=K&table=T)");
        }
        return null;
    }

    /** Answers a request {@link #reject} let through. */
    public static CallResourceResponse answer(CallResourceRequest req, CqlInstance instance) {
        CqlSettings settings;
        try {
            settings = instance.settings();
        } catch (InvalidSettingsException e) {
            return error(502, "Invalid settings: " + e.getMessage());
        }
        CqlSession session;
        try {
            session = instance.session();
        } catch (Exception e) {
            return error(502, Failure.connecting(e, settings).message());
        }
        Map<String, String> params = req.queryParameters();
        try {
            return switch (path(req)) {
                case "keyspaces" -> CallResourceResponse.json(200, json(keyspaces(session)));
                case "tables" -> tables(session, params.get("keyspace"));
                default -> columns(session, params.get("keyspace"), params.get("table"));
            };
        } catch (RuntimeException e) {
            return error(502, Failure.connecting(e, settings).message());
        }
    }

    static List<String> keyspaces(CqlSession session) {
        TreeSet<String> names = new TreeSet<>();
        for (Row r : session.execute("SELECT keyspace_name FROM system_schema.keyspaces")) {
            names.add(r.getString(0));
        }
        return new ArrayList<>(names);
    }

    private static CallResourceResponse tables(CqlSession session, String keyspace) {
        if (!keyspaceExists(session, keyspace)) {
            return keyspaceMissing(keyspace);
        }
        TreeSet<String> names = new TreeSet<>();
        for (String table : new String[] {"tables", "views"}) {
            String column = table.equals("tables") ? "table_name" : "view_name";
            for (Row r : session.execute(SimpleStatement.newInstance(
                    "SELECT " + column + " FROM system_schema." + table + " WHERE keyspace_name = ?", keyspace))) {
                names.add(r.getString(0));
            }
        }
        return CallResourceResponse.json(200, json(names));
    }

    private static CallResourceResponse columns(CqlSession session, String keyspace, String table) {
        record Column(String name, String type, String kind, int position) {
        }
        List<Column> columns = new ArrayList<>();
        for (Row r : session.execute(SimpleStatement.newInstance(
                "SELECT column_name, type, kind, position FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
                keyspace, table))) {
            columns.add(new Column(r.getString("column_name"), r.getString("type"), r.getString("kind"), r.getInt("position")));
        }
        if (columns.isEmpty()) {
            return keyspaceExists(session, keyspace) ? error(404, "table \"" + table + "\" does not exist in keyspace \"" + keyspace + "\"")
                    : keyspaceMissing(keyspace);
        }
        columns.sort(Comparator.<Column>comparingInt(c -> KIND_ORDER.getOrDefault(c.kind(), 4))
                .thenComparingInt(c -> c.kind().equals("partition_key") || c.kind().equals("clustering") ? c.position() : 0)
                .thenComparing(Column::name));
        ArrayNode out = JSON.createArrayNode();
        for (Column c : columns) {
            out.addObject().put("name", c.name()).put("type", c.type()).put("kind", c.kind());
        }
        return CallResourceResponse.json(200, out.toString());
    }

    private static boolean keyspaceExists(CqlSession session, String keyspace) {
        return session.execute(SimpleStatement.newInstance(
                "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)).one() != null;
    }

    private static CallResourceResponse keyspaceMissing(String keyspace) {
        return error(404, "keyspace \"" + keyspace + "\" does not exist");
    }

    private static String path(CallResourceRequest req) {
        String p = req.path();
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static CallResourceResponse error(int status, String message) {
        return CallResourceResponse.json(status, json(Map.of("error", message)));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
