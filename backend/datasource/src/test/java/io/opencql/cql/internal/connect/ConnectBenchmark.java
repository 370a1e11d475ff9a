package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.SettingsParser;
import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prints how long connecting takes against the test node (a benchmark command, not a test): the first health
 * check of a cold JVM, a warm health check on an open session, and opening a session in a warm JVM with and
 * without a configured local DC (the difference is the DC probe). Run from backend/datasource after
 * {@code mvn test-compile}:
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) -DCQL_TEST_HOST=127.0.0.1:19342 \
 *     io.opencql.cql.internal.connect.ConnectBenchmark [rounds]
 * </pre>
 */
public final class ConnectBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        TestNode node = TestNode.get();
        SessionFactory factory = new SessionFactory();

        DataSourceSettings first = node.settings("bench-cold", 1, "");
        long t0 = System.nanoTime();
        try (DataSourceInstance instance = DataSourceInstance.create(PluginContext.forDataSource(first), factory)) {
            CheckHealthResult cold = HealthCheck.check(instance);
            long coldMs = ms(t0);
            require(cold);
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < rounds * 5; i++) {
                long t = System.nanoTime();
                require(HealthCheck.check(instance));
                warm.add(msD(t));
            }
            System.out.printf("health check, cold JVM (driver classes load, DC probe, session open, 3 queries): %d ms%n", coldMs);
            System.out.printf("health check, warm (session open): %s%n", stats(warm));
        }

        String dc;
        try (CqlSession admin = node.adminSession()) {
            dc = admin.execute("SELECT data_center FROM system.local").one().getString(0);
        }
        for (String extra : new String[] {"", "\"localDatacenter\":\"" + dc + "\""}) {
            List<Double> opens = new ArrayList<>();
            List<Double> checks = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                CqlSettings s = SettingsParser.parse(node.settings("bench-" + i, 1, extra), Map.of());
                long t = System.nanoTime();
                try (CqlSession ignored = factory.open(s, "bench-open-" + i)) {
                    opens.add(msD(t));
                }
                DataSourceSettings ds = node.settings("bench-h" + i + extra.length(), 1, extra);
                try (CqlInstance instance = DataSourceInstance.create(PluginContext.forDataSource(ds), factory)) {
                    long h = System.nanoTime();
                    require(HealthCheck.check((DataSourceInstance) instance));
                    checks.add(msD(h));
                }
            }
            String label = extra.isEmpty() ? "local DC inferred (probe + session)" : "local DC configured (session only)";
            System.out.printf("session open, warm JVM, %s: %s%n", label, stats(opens));
            System.out.printf("health check incl. session open, warm JVM, %s: %s%n", label, stats(checks));
        }
        System.exit(0);
    }

    private static void require(CheckHealthResult r) {
        if (r.status() != CheckHealthResult.Status.OK) {
            throw new IllegalStateException(r.message());
        }
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static double msD(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String stats(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        return String.format("median %.1f ms, min %.1f, max %.1f (n=%d)", v.get(v.size() / 2), v.get(0), v.get(v.size() - 1), v.size());
    }
}
