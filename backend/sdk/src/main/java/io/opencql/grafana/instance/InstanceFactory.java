package io.opencql.grafana.instance;

import io.opencql.grafana.backend.PluginContext;

/** Builds the per-data-source state (connection pools, parsed settings); should be cheap and lazy. */
@FunctionalInterface
public interface InstanceFactory<I extends AutoCloseable> {
    I create(PluginContext context) throws Exception;
}
