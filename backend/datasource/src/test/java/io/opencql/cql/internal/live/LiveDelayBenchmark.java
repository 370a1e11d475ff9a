package io.opencql.cql.internal.live;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opencql.cql.CqlDataSource;
import io.opencql.cql.DataSourceProbe;
import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.StreamRequest;
import io.opencql.grafana.backend.TimeRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prints how long a row takes from its INSERT (the moment it is sent) to the Live packet carrying it, through
 * the data source's own path (QueryData issues the channel, RunStream tails it), at a stream interval (default the
 * query model's default, 1000 ms). Rows are written one at a time at random moments, so they fall anywhere in the
 * poll cycle. A benchmark command, not a test: {@code tools/bench-live.sh [rows] [intervalMs]}.
 */
public final class LiveDelayBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Long interval = args.length > 1 ? Long.parseLong(args[1]) : null;
        TestNode node = TestNode.get();
        ObjectMapper json = new ObjectMapper();
        Path state = Files.createTempDirectory("live-bench");
        try (CqlSession admin = node.adminSession(); CqlDataSource ds = DataSourceProbe.create(state)) {
            admin.execute("CREATE KEYSPACE IF NOT EXISTS live_bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            admin.execute("CREATE TABLE IF NOT EXISTS live_bench.events (p int, ts timestamp, seq int, PRIMARY KEY (p, ts, seq))");
            int p = new Random().nextInt(1 << 30);
            PreparedStatement ins = admin.prepare("INSERT INTO live_bench.events (p, ts, seq) VALUES (?, ?, ?)");

            String settings = "{\"contactPoints\":\"" + node.contactPoint() + "\",\"localDatacenter\":\"datacenter1\"}";
            DataSourceSettings dss = new DataSourceSettings(1, "live-bench", "bench", null, null, null, false, null,
                    settings.getBytes(StandardCharsets.UTF_8), Map.of("username", node.username(), "password", node.password()), 1, "");
            PluginContext ctx = new PluginContext(1, "opencql-cql-datasource", null, dss, Map.of(), "", "", "");
            String model = "{\"refId\":\"A\",\"cql\":\"SELECT ts, seq FROM live_bench.events WHERE p = " + p
                    + " AND $__timeFilter(ts)\",\"stream\":true" + (interval == null ? "" : ",\"streamIntervalMs\":" + interval) + "}";
            long now = System.currentTimeMillis();
            DataQuery q = new DataQuery("A", 1000, 1000, new TimeRange(now - 60_000, now), model.getBytes(StandardCharsets.UTF_8), "");
            DataResponse answer = ds.plugin().queryData().queryData(new QueryDataRequest(ctx, Map.of(), List.of(q)), RequestContext.NONE)
                    .responses().get("A");
            if (answer.status() != 200) {
                throw new IllegalStateException("QueryData failed: " + answer.error());
            }
            String channel = answer.frames().get(0).meta().channel();
            answer.frames().forEach(io.opencql.grafana.data.Frame::close);
            String path = channel.substring("ds/live-bench/".length());

            Map<Integer, Long> arrived = new ConcurrentHashMap<>();
            List<Integer> packetSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread stream = new Thread(() -> {
                try {
                    ds.plugin().stream().runStream(new StreamRequest(ctx, path, null, Map.of()), bytes -> {
                        long t = System.nanoTime();
                        try {
                            JsonNode seqs = json.readTree(bytes).get("data").get("values").get(1);
                            seqs.forEach(s -> arrived.put(s.asInt(), t));
                            packetSizes.add(bytes.length);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, RequestContext.NONE);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "bench-runstream");
            stream.setDaemon(true);
            stream.start();

            Random rnd = new Random(1);
            long[] inserted = new long[rows];
            double[] writeMs = new double[rows];
            long effectiveInterval = interval == null ? 1000 : interval;
            Thread.sleep(effectiveInterval); // the stream's first read is done
            for (int i = 0; i < rows; i++) {
                Thread.sleep(rnd.nextInt((int) (2 * effectiveInterval))); // anywhere in the poll cycle
                long t0 = System.nanoTime();
                admin.execute(ins.bind(p, Instant.now(), i));
                inserted[i] = t0; // from the start of the INSERT: a packet can beat the write's acknowledgement
                writeMs[i] = (System.nanoTime() - t0) / 1e6;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (arrived.size() < rows && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            DataSourceProbe.streams(ds).close();
            if (arrived.size() < rows) {
                throw new IllegalStateException("only " + arrived.size() + " of " + rows + " rows arrived");
            }
            double[] ms = new double[rows];
            for (int i = 0; i < rows; i++) {
                ms[i] = (arrived.get(i) - inserted[i]) / 1e6;
            }
            Arrays.sort(ms);
            Arrays.sort(writeMs);
            System.out.printf("live delay, INSERT sent -> packet sent, %d rows at random moments, streamIntervalMs %d"
                            + " (node %s, %d cores):%n", rows, effectiveInterval, node.contactPoint(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("  min %.0f ms, median %.0f ms, p95 %.0f ms, max %.0f ms, mean %.0f ms; %d packets, median packet %d bytes%n",
                    ms[0], percentile(ms, 50), percentile(ms, 95), ms[rows - 1], Arrays.stream(ms).average().orElse(0),
                    packetSizes.size(), medianInt(packetSizes));
            System.out.printf("  (the INSERTs themselves: median %.1f ms, p95 %.1f ms)%n", percentile(writeMs, 50), percentile(writeMs, 95));
        }
    }

    static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    static int medianInt(List<Integer> v) {
        List<Integer> s = new ArrayList<>(v);
        s.sort(null);
        return s.isEmpty() ? 0 : s.get(s.size() / 2);
    }
}
