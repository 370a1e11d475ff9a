package io.opencql.cql.bench;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The bare java-driver side of the end-to-end benchmark (conformance/bench): one session, started once, driven by
 * the Go benchmark over stdin/stdout, one command per line, one JSON answer per line. It runs the same CQL as the
 * plugin gets, with the same page size (5000) and consistency (LOCAL_ONE), and reads every column of every row
 * once (text, timestamp, double), which is the least work any data source must do; the checksums let the
 * benchmark prove both sides read the same rows. Timings are taken inside this JVM: the driver's own cost.
 *
 * <p>Commands: {@code seed <partitions> <rowsPerPartition>}, {@code query <times> <cql>},
 * {@code panels <panels> <rounds> <partitions> <cql with %d for the panel number modulo partitions>}, {@code quit}.
 */
public final class BareDriver {

    static final int PAGE_SIZE = 5000;

    /** What one read saw: rows, then the sums the Go side computes from the decoded frame. */
    record Sums(long rows, double sumV, long sumTsMs, long sumTextLen) {
        String json() {
            return "\"rows\":" + rows + ",\"sumV\":" + Double.toString(sumV) + ",\"sumTsMs\":" + sumTsMs + ",\"sumTextLen\":" + sumTextLen;
        }
    }

    public static void main(String[] args) throws Exception {
        String[] hp = args[0].split(":");
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        System.setOut(System.err); // stdout carries answers only
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, ConsistencyLevel.LOCAL_ONE.name())
                .withInt(DefaultDriverOption.REQUEST_PAGE_SIZE, PAGE_SIZE)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(60))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(30))
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build();
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
                .withLocalDatacenter(args.length > 3 ? args[3] : "datacenter1")
                .withAuthCredentials(args[1], args[2])
                .withConfigLoader(config)
                .build()) {
            out.println("{\"ready\":true}");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ", 5);
                String answer;
                try {
                    answer = switch (w[0]) {
                        case "seed" -> seed(session, Integer.parseInt(w[1]), Integer.parseInt(w[2]));
                        case "query" -> query(session, Integer.parseInt(w[1]), line.substring(line.indexOf(' ', 6) + 1));
                        case "panels" -> panels(session, Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]), w[4]);
                        case "quit" -> null;
                        default -> "{\"error\":\"unknown command " + w[0] + "\"}";
                    };
                } catch (RuntimeException e) {
                    answer = "{\"error\":\"" + String.valueOf(e).replace("\\", "\\\\").replace("\"", "'") + "\"}";
                }
                if (answer == null) {
                    break;
                }
                out.println(answer);
                out.flush();
            }
        }
    }

    /** Reads every row of every page once, as a data source must. */
    static Sums read(CqlSession session, String cql) {
        ResultSet rs = session.execute(SimpleStatement.newInstance(cql).setPageSize(PAGE_SIZE));
        long rows = 0;
        double sumV = 0;
        long sumTs = 0;
        long sumLen = 0;
        for (Row row : rs) {
            String text = row.getString(0);
            Instant ts = row.getInstant(1);
            double v = row.getDouble(2);
            rows++;
            sumV += v;
            sumTs += ts == null ? 0 : ts.toEpochMilli();
            sumLen += text == null ? 0 : text.length();
        }
        return new Sums(rows, sumV, sumTs, sumLen);
    }

    static String query(CqlSession session, int times, String cql) {
        StringBuilder ns = new StringBuilder();
        Sums last = null;
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            last = read(session, cql);
            long took = System.nanoTime() - t0;
            ns.append(i == 0 ? "" : ",").append(took);
        }
        return "{\"ns\":[" + ns + "]," + last.json() + "}";
    }

    /**
     * A dashboard of {@code panels} panels refreshed {@code rounds} times: each round starts every panel's query at
     * once (one thread each, as Grafana sends one request per panel) and waits for all; the latency of each panel
     * of each round is returned.
     */
    static String panels(CqlSession session, int panels, int rounds, int partitions, String template) throws RuntimeException {
        ExecutorService pool = Executors.newFixedThreadPool(panels);
        long[] ns = new long[panels * rounds];
        long[] rows = new long[panels];
        try {
            for (int r = 0; r < rounds; r++) {
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (int p = 0; p < panels; p++) {
                    int panel = p;
                    int round = r;
                    all.add(CompletableFuture.runAsync(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        long t0 = System.nanoTime();
                        Sums s = read(session, String.format(template, panel % partitions));
                        ns[round * panels + panel] = System.nanoTime() - t0;
                        rows[panel] = s.rows();
                    }, pool));
                }
                start.countDown();
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            }
        } finally {
            pool.shutdownNow();
        }
        StringBuilder sb = new StringBuilder("{\"ns\":[");
        for (int i = 0; i < ns.length; i++) {
            sb.append(i == 0 ? "" : ",").append(ns[i]);
        }
        long total = 0;
        for (long n : rows) {
            total += n;
        }
        return sb.append("],\"rows\":").append(total).append("}").toString();
    }

    /**
     * The benchmark's data, written once: bench.m1 (sensor text, ts timestamp, v double), {@code partitions}
     * sensors of {@code perPartition} rows at the same 1-second timestamps, so that as a time series it is one wide
     * frame of perPartition rows. bench.meta remembers a completed seed, so a rerun skips it.
     */
    static String seed(CqlSession session, int partitions, int perPartition) throws RuntimeException {
        session.execute("CREATE KEYSPACE IF NOT EXISTS bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE IF NOT EXISTS bench.meta (k text PRIMARY KEY, rows bigint)");
        String key = "m1:" + partitions + "x" + perPartition;
        Row done = session.execute("SELECT rows FROM bench.meta WHERE k = '" + key + "'").one();
        if (done != null) {
            return "{\"seeded\":false,\"rows\":" + done.getLong(0) + "}";
        }
        // upserts: a seed cut short is completed by the next one
        session.execute("CREATE TABLE IF NOT EXISTS bench.m1 (p int, ts timestamp, sensor text, v double, PRIMARY KEY (p, ts))");
        PreparedStatement ins = session.prepare("INSERT INTO bench.m1 (p, ts, sensor, v) VALUES (?, ?, ?, ?)");
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        Semaphore inFlight = new Semaphore(4);
        List<BatchStatement> failed = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < perPartition; i += 100) {
                var b = BatchStatement.builder(BatchType.UNLOGGED);
                for (int j = i; j < Math.min(perPartition, i + 100); j++) {
                    b.addStatement(ins.bind(p, base.plusSeconds(j), "sensor-" + p, (j % 1000) * 0.5 + p));
                }
                BatchStatement batch = b.build();
                inFlight.acquireUninterruptibly();
                CompletionStage<AsyncResultSet> f = session.executeAsync(batch);
                f.whenComplete((r, e) -> {
                    if (e != null) {
                        synchronized (failed) {
                            failed.add(batch); // a write timeout on a busy machine: written again below
                        }
                    }
                    inFlight.release();
                });
            }
        }
        inFlight.acquireUninterruptibly(4);
        for (BatchStatement batch : failed) {
            RuntimeException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    session.execute(batch);
                    last = null;
                    break;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            if (last != null) {
                throw new IllegalStateException("seed failed: " + last);
            }
        }
        long rows = (long) partitions * perPartition;
        session.execute("INSERT INTO bench.meta (k, rows) VALUES ('" + key + "', " + rows + ")");
        return "{\"seeded\":true,\"rows\":" + rows + ",\"ms\":" + (System.nanoTime() - t0) / 1_000_000 + "}";
    }
}
