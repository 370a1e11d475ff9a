package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.opencql.cql.internal.failure.Failure;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.instance.InstanceManager;
import io.opencql.grafana.resource.ResourceCall;
import io.opencql.grafana.resource.ResourceRouter;
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
 * 404 an unknown keyspace or table (an unknown resource and 405 a method other than GET are the SDK router's), 502
 * when the cluster cannot be used.
 */
public final class SchemaResources {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> KIND_ORDER = Map.of("partition_key", 0, "clustering", 1, "static", 2, "regular", 3);

    private SchemaResources() {
    }

    /** What a route reads with the data source's session. */
    @FunctionalInterface
    private interface Read {
        CallResourceResponse answer(CqlSession session);
    }

    /**
     * The routes (404 and 405 are the router's); a request whose parameters are wrong is answered without touching
     * the cluster, and only then is the data source's instance leased from {@code instances}.
     */
    public static ResourceRouter router(InstanceManager<CqlInstance> instances) {
        return new ResourceRouter()
                .get("keyspaces", call -> read(call, instances, session -> CallResourceResponse.json(200, json(keyspaces(session)))))
                .get("tables", call -> {
                    String keyspace = call.parameter("keyspace");
                    if (blank(keyspace)) {
                        return error(400, "missing query parameter keyspace (tables?keyspace=K)");
                    }
                    return read(call, instances, session -> tables(session, keyspace));
                })
                .get("columns", call -> {
                    String keyspace = call.parameter("keyspace");
                    String table = call.parameter("table");
                    if (blank(keyspace)) {
                        return error(400, "missing query parameter keyspace (columns?keyspace=K&table=T)");
                    }
                    if (blank(table)) {
                        return error(400, "missing query parameter table (columns?keyspace=K&table=T)");
                    }
                    return read(call, instances, session -> columns(session, keyspace, table));
                });
    }

    /** Reads with the instance's session; a cluster that cannot be used is 502 with Save &amp; test's words. */
    private static CallResourceResponse read(ResourceCall call, InstanceManager<CqlInstance> instances, Read read) throws Exception {
        return instances.with(call.request().context(), instance -> {
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
            try {
                return read.answer(session);
            } catch (RuntimeException e) {
                return error(502, Failure.connecting(e, settings).message());
            }
        });
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

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static CallResourceResponse error(int status, String message) {
        return CallResourceResponse.error(status, message);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
