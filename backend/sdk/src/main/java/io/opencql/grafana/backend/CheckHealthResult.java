package io.opencql.grafana.backend;

import java.util.Map;

/**
 * The answer to "Save &amp; test". {@code details} becomes the JSON object {@code jsonDetails}
 * (Grafana rejects anything but an object); conventional keys: message, verboseMessage, errorLink.
 */
public record CheckHealthResult(Status status, String message, Map<String, String> details) {

    public enum Status { UNKNOWN, OK, ERROR }

    public CheckHealthResult {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static CheckHealthResult ok(String message) {
        return new CheckHealthResult(Status.OK, message, Map.of());
    }

    public static CheckHealthResult error(String message) {
        return new CheckHealthResult(Status.ERROR, message, Map.of());
    }
}
