package io.opencql.grafana.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
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

    /**
     * Prometheus' defaults, built in code: the plugin is configured by Grafana, never by a
     * {@code prometheus.properties} file or prometheus' system properties.
     */
    private static final PrometheusProperties CONFIG = defaults();

    /**
     * Merely loading {@code PrometheusProperties} runs its static loader, which asks the thread's context class
     * loader for {@code prometheus.properties}: the application class loader then opens and searches every jar
     * of the class path, a third of the plugin's start before the handshake (docs/performance.md). Here that
     * question goes to a class loader with no resources of its own (only the JDK's), which answers at once.
     */
    private static PrometheusProperties defaults() {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(new ClassLoader(null) {
        });
        try {
            return PrometheusProperties.builder().build();
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private volatile boolean jvmRegistered;

    public PluginMetrics() {
        // without exemplars: their sampler is what starts prometheus' scheduler thread, which wakes ~8 times
        // a second even when the plugin is idle; Grafana's scrape of a plugin has no use for exemplars
        requests = Counter.builder(CONFIG)
                .withoutExemplars()
                .name("opencql_plugin_requests_total")
                .help("Requests served by the plugin, by endpoint and outcome")
                .labelNames("endpoint", "status")
                .register(registry);
        duration = Histogram.builder(CONFIG)
                .withoutExemplars()
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
                    JvmMetrics.builder(CONFIG).register(registry);
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
