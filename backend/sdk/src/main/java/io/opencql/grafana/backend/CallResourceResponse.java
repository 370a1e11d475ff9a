package io.opencql.grafana.backend;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Grafana takes the status and headers from the first message only; later messages carry body chunks. */
public record CallResourceResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public CallResourceResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status, got " + status);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static CallResourceResponse json(int status, String json) {
        return new CallResourceResponse(status, Map.of("Content-Type", List.of("application/json")),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON error answer, {@code {"error": message}}. */
    public static CallResourceResponse error(int status, String message) {
        return json(status, "{\"error\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}");
    }
}
