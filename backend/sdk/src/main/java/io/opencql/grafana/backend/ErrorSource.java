package io.opencql.grafana.backend;

/** Who caused an error: the plugin itself, or the system it queries (including the user's query). */
public enum ErrorSource {
    PLUGIN("plugin"),
    DOWNSTREAM("downstream");

    private final String wire;

    ErrorSource(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
