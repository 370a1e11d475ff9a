package io.opencql.grafana.data;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Not a test (no surefire pattern matches it): a benchmark command printing how long the frame encoders take on a
 * 1,000,000-row frame (time, float64, string such as "sensor-123"): the median of 5 runs after 3 warm-up runs.
 * Also times the JSON writer, long-to-wide and time grouping on the same frame, as the figures that bound a Live
 * packet and an alert query. Run with the test classpath and {@code --add-opens=java.base/java.nio=ALL-UNNAMED};
 * an optional argument sets the row count.
 */
public final class ArrowEncodeBenchmark {

    private static final int WARMUP = 3;
    private static final int RUNS = 5;
    private static final int SERIES = 1000;

    private ArrowEncodeBenchmark() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        // Arrow logs a DEBUG line per batch and footer; without a logging config that is stdout and real time
        ((Logger) LoggerFactory.getLogger("org.apache.arrow")).setLevel(Level.INFO);
        System.out.printf(Locale.ROOT, "java %s, %d cpus, load %.1f, max heap %d MB, %d rows%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().maxMemory() >> 20, rows);

        try (Frame frame = build(rows, Order.TIME)) {
            long cells = (long) rows * frame.fields().size();
            report("arrow encode", cells, () -> ArrowFrameWriter.write(frame).length);
            report("json encode (all)", cells, () -> JsonFrameWriter.write(frame, JsonFrameWriter.Include.ALL).length);
            report("long-to-wide (time order, " + SERIES + " series)", cells, () -> {
                LongToWide.convert(frame, FillMode.NULL).close();
                return 0;
            });
        }
        try (Frame bySeries = build(rows, Order.SERIES)) {
            long cells = (long) rows * bySeries.fields().size();
            // 1,000 one-second points per series into 1-minute buckets, then wide: what timeGroup adds to a query
            report("timeGroup 1m avg (series order)", cells, () -> {
                TimeGroup.apply(bySeries, 60_000_000_000L, TimeGroup.Aggregate.AVG).close();
                return 0;
            });
            report("timeGroup 1m avg + long-to-wide", cells, () -> {
                try (Frame g = TimeGroup.apply(bySeries, 60_000_000_000L, TimeGroup.Aggregate.AVG)) {
                    LongToWide.convert(g, FillMode.NULL).close();
                }
                return 0;
            });
        }
        for (Order order : new Order[] {Order.SERIES, Order.SHUFFLED}) {
            try (Frame unsorted = build(rows, order)) {
                long cells = (long) rows * unsorted.fields().size();
                report("long-to-wide (" + order.name().toLowerCase(Locale.ROOT) + " order)", cells, () -> {
                    LongToWide.convert(unsorted, FillMode.PREVIOUS).close();
                    return 0;
                });
            }
        }
    }

    /**
     * Row order: by time (what long-to-wide wants), by series then time (what a CQL query over several
     * partitions returns), or shuffled (the worst case).
     */
    enum Order {
        TIME, SERIES, SHUFFLED
    }

    /** {@code rows / SERIES} distinct seconds × SERIES sensors, in the given order. */
    static Frame build(int rows, Order rowOrder) {
        int[] order = new int[rows];
        int times = Math.max(1, rows / SERIES);
        for (int i = 0; i < rows; i++) {
            // row i is (time i / SERIES, sensor i % SERIES); SERIES order lists each sensor's times in turn
            order[i] = rowOrder == Order.SERIES ? (i % times) * SERIES + i / times : i;
        }
        Random rnd = new Random(7);
        if (rowOrder == Order.SHUFFLED) {
            for (int i = rows - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int x = order[i];
                order[i] = order[j];
                order[j] = x;
            }
        }
        long start = 1_700_000_000_000_000_000L;
        Frame frame = new Frame("bench", "A", null);
        Field time = frame.addField("time", FieldType.TIME, false, rows);
        Field value = frame.addField("value", FieldType.FLOAT64, false, rows);
        Field sensor = frame.addField("sensor", FieldType.STRING, false, rows);
        for (int k = 0; k < rows; k++) {
            int i = order[k];
            time.appendLong(start + (i / SERIES) * 1_000_000_000L);
            value.appendDouble(20 + rnd.nextGaussian());
            sensor.appendString("sensor-" + (i % SERIES));
        }
        return frame;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void report(String what, long cells, Supplier<Integer> run) {
        int bytes = 0;
        for (int i = 0; i < WARMUP; i++) {
            bytes = run.get();
        }
        double[] ms = new double[RUNS];
        double[] cpuMs = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            bytes = run.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpuMs[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        double median = median(ms);
        // wall time suffers when the cores are shared; this thread's CPU time much less so
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-45s median %7.1f ms (cpu %7.1f ms)",
                what, median, median(cpuMs)));
        if (bytes > 0) {
            line.append(String.format(Locale.ROOT, "  %7.1f MB", bytes / 1e6));
        }
        line.append(String.format(Locale.ROOT, "  %6.1f M cells/s  runs %s", cells / (median / 1e3) / 1e6,
                Arrays.toString(Arrays.stream(ms).map(x -> Math.round(x * 10) / 10.0).toArray())));
        System.out.println(line);
    }
}
