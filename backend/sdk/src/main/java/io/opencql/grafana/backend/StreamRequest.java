package io.opencql.grafana.backend;

import java.util.Map;

/** Subscribe, publish or run request for a Live channel {@code ds/<uid>/<path>}; {@code data} is optional JSON. */
public record StreamRequest(PluginContext context, String path, byte[] data, Map<String, String> headers) {

    public StreamRequest {
        path = path == null ? "" : path;
        data = data == null ? new byte[0] : data;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
