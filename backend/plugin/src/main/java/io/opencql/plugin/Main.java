package io.opencql.plugin;

import io.opencql.cql.CqlDataSource;
import io.opencql.grafana.metrics.PluginMetrics;
import io.opencql.grafana.transport.PluginServer;

/** Wiring only: the CQL data source served by the SDK's transport. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PluginMetrics metrics = new PluginMetrics();
        CqlDataSource dataSource = new CqlDataSource();
        int code = PluginServer.serve(dataSource.plugin(), metrics);
        System.exit(code);
    }
}
