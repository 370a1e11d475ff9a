package io.opencql.grafana.backend;

/**
 * The capabilities a plugin serves; any may be null (the transport answers as a Go plugin without that
 * handler would). {@code onShutdown} runs once before the process exits.
 */
public record Plugin(
        QueryDataHandler queryData,
        CheckHealthHandler checkHealth,
        CallResourceHandler callResource,
        StreamHandler stream,
        Runnable onShutdown) {
}
