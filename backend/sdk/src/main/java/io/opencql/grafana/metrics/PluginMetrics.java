package io.opencql.grafana.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The plugin's Prometheus metrics, served through CollectMetrics in the text exposition format: JVM and
 * process metrics plus a request counter and latency histogram per endpoint. JVM collectors are registered
 * on the first scrape so they cost nothing at start-up.
 */
public final class PluginMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private volatile boolean jvmRegistered;

    public PluginMetrics() {
        requests = Counter.builder()
                .name("opencql_plugin_requests_total")
                .help("Requests served by the plugin, by endpoint and outcome")
                .labelNames("endpoint", "status")
                .register(registry);
        duration = Histogram.builder()
                .name("opencql_plugin_request_duration_seconds")
                .help("Time to serve a request, by endpoint")
                .labelNames("endpoint")
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Records one request; {@code status} is "ok", "error" or "cancelled". */
    public void observe(String endpoint, String status, long nanos) {
        requests.labelValues(endpoint, status).inc();
        duration.labelValues(endpoint).observe(nanos / 1e9);
    }

    public byte[] scrape() {
        if (!jvmRegistered) {
            synchronized (this) {
                if (!jvmRegistered) {
                    JvmMetrics.builder().register(registry);
                    jvmRegistered = true;
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
