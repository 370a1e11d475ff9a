package io.opencql.cql.internal.live;

import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.Frame;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a tail stands: the newest time it has sent, the oldest time it may still send, and which rows in between it
 * has sent.
 *
 * <p><b>Ties.</b> A timestamp is only a millisecond, and several writers, or a batch, easily share one; rows with the
 * newest time sent may still arrive after a read. So a read does not start after the newest time sent, it starts at
 * or before it, and rows already sent are recognised by a key (a hash of all the row's values) and dropped; any other
 * row is new. Keys are counted, not just remembered, so that two rows with identical values (a query that does not
 * select the primary key can return such twins) are both sent once, never merged.
 *
 * <p><b>Late rows.</b> The same mechanism covers rows that become visible after a row with a newer timestamp was
 * already sent: two writers stamp rows 100 and 101, the second write is acknowledged first, a read in between sees
 * only 101. A read therefore starts {@code lateness} before the newest time sent ({@link #LATENESS}, 1 s), and the
 * keys of the rows sent in that window are kept. With {@code lateness} 0 this is exactly "read from the last time,
 * inclusive, and drop the rows already sent at that time". Rows older than the window ({@link #horizonNanos}) are
 * never sent; rows newer than the read's upper bound ("now") wait for a later read, so that a row stamped in the
 * future cannot move the cursor past rows still to come. The state is the keys of one window, however long the
 * stream runs.
 *
 * @param timeNanos    the newest time sent, epoch nanoseconds
 * @param horizonNanos rows older than this are never sent; the next read starts here
 * @param sent         for the times in {@code [horizonNanos, timeNanos]}: key → how many rows with that key were sent
 */
record TailCursor(long timeNanos, long horizonNanos, Map<Long, Map<String, Integer>> sent) {

    /** How far before the newest row sent a read looks again, for rows that become visible late. */
    public static final Duration LATENESS = Duration.ofSeconds(1);

    public TailCursor {
        if (horizonNanos > timeNanos) {
            throw new IllegalArgumentException("horizon " + horizonNanos + " after time " + timeNanos);
        }
        TreeMap<Long, Map<String, Integer>> copy = new TreeMap<>();
        sent.forEach((t, keys) -> {
            if (!keys.isEmpty()) {
                copy.put(t, Map.copyOf(keys));
            }
        });
        sent = java.util.Collections.unmodifiableMap(copy);
    }

    /** A cursor that sends nothing older than {@code timeNanos} and has sent nothing yet. */
    public static TailCursor at(long timeNanos) {
        return new TailCursor(timeNanos, timeNanos, Map.of());
    }

    /** What one read gives: the rows to send, in ascending time (stable), and the cursor after sending them. */
    public record Step(int[] rows, TailCursor next) {
    }

    /**
     * The new rows of a read and the cursor after them.
     *
     * @param frame       the read, in any order
     * @param timeField   the index of its (non-null) time field
     * @param toNanos     the read's upper bound: rows after it are left for a later read
     * @param lateNanos   how far before its newest time the next cursor keeps looking ({@link #LATENESS})
     */
    public Step advance(Frame frame, int timeField, long toNanos, long lateNanos) {
        Field time = frame.field(timeField);
        int n = frame.rowCount();
        RowKeys keys = new RowKeys(frame);
        Map<Long, Map<String, Integer>> seen = new HashMap<>(); // rows read inside the window already covered
        int[] rows = new int[n];
        long[] times = new long[n];
        int count = 0;
        long newest = timeNanos;
        for (int i = 0; i < n; i++) {
            long t = time.getLong(i);
            if (t < horizonNanos || t > toNanos) {
                continue;
            }
            if (t <= timeNanos) {
                String k = keys.of(i);
                int c = seen.computeIfAbsent(t, x -> new HashMap<>()).merge(k, 1, Integer::sum);
                if (c <= sent.getOrDefault(t, Map.of()).getOrDefault(k, 0)) {
                    continue; // this many rows with this key and time were sent already
                }
            }
            rows[count] = i;
            times[count++] = t;
            newest = Math.max(newest, t);
        }
        int[] order = ascending(Arrays.copyOf(times, count));
        int[] send = new int[count];
        for (int k = 0; k < count; k++) {
            send[k] = rows[order == null ? k : order[k]];
        }
        long horizon = Math.max(horizonNanos, newest < Long.MIN_VALUE + lateNanos ? Long.MIN_VALUE : newest - lateNanos);
        Map<Long, Map<String, Integer>> next = new HashMap<>();
        sent.forEach((t, m) -> {
            if (t >= horizon) {
                next.put(t, new HashMap<>(m));
            }
        });
        seen.forEach((t, m) -> {
            if (t >= horizon) {
                Map<String, Integer> into = next.computeIfAbsent(t, x -> new HashMap<>());
                m.forEach((k, c) -> into.merge(k, c, Math::max));
            }
        });
        for (int k = 0; k < count; k++) {
            if (times[k] > timeNanos && times[k] >= horizon) {
                next.computeIfAbsent(times[k], x -> new HashMap<>()).merge(keys.of(rows[k]), 1, Integer::sum);
            }
        }
        return new Step(send, new TailCursor(newest, horizon, next));
    }

    /**
     * The cursor after a frame that was delivered some other way (QueryData's answer, which the browser holds when
     * it subscribes): as if its rows up to {@code capNanos} had been sent; a frame without such rows stands at
     * {@code capNanos}. Either way the tail still looks {@code lateNanos} back for rows that become visible late,
     * but never before {@code floorNanos} (the answer's own start: what it did not ask for is not a late row).
     */
    public static TailCursor after(Frame frame, int timeField, long capNanos, long lateNanos, long floorNanos) {
        TailCursor c = at(Long.MIN_VALUE).advance(frame, timeField, capNanos, lateNanos).next();
        if (c.timeNanos == Long.MIN_VALUE) {
            c = new TailCursor(capNanos, capNanos - lateNanos, Map.of());
        }
        long horizon = Math.min(c.timeNanos, Math.max(c.horizonNanos, floorNanos));
        if (horizon == c.horizonNanos) {
            return c;
        }
        Map<Long, Map<String, Integer>> kept = new HashMap<>(c.sent);
        kept.keySet().removeIf(t -> t < horizon);
        return new TailCursor(c.timeNanos, horizon, kept);
    }

    /** The later of two cursors; at the same time, what either has sent. */
    public TailCursor newer(TailCursor other) {
        if (other == null || other.timeNanos < timeNanos) {
            return this;
        }
        if (other.timeNanos > timeNanos) {
            return other;
        }
        Map<Long, Map<String, Integer>> merged = new HashMap<>();
        sent.forEach((t, m) -> merged.put(t, new HashMap<>(m)));
        other.sent.forEach((t, m) -> {
            Map<String, Integer> into = merged.computeIfAbsent(t, x -> new HashMap<>());
            m.forEach((k, c) -> into.merge(k, c, Math::max));
        });
        return new TailCursor(timeNanos, Math.min(horizonNanos, other.horizonNanos), merged);
    }

    /** Rows remembered (for logs and tests). */
    public int keys() {
        return sent.values().stream().mapToInt(Map::size).sum();
    }

    private static int[] ascending(long[] t) {
        int n = t.length;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = t[i - 1] <= t[i];
        }
        if (sorted) {
            return null;
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(t[a], t[b])); // a merge sort: stable
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /**
     * A key per row: SHA-256 (first 128 bits, base64url) over every field's value with a null marker and, for
     * text, its length, so that no two different rows encode alike. Computed only for rows inside the window.
     */
    static final class RowKeys {
        private final Frame frame;
        private final MessageDigest sha;
        private final Map<Integer, String> cache = new HashMap<>();
        private final ByteBuffer scratch = ByteBuffer.allocate(9);

        RowKeys(Frame frame) {
            this.frame = frame;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
        }

        String of(int row) {
            return cache.computeIfAbsent(row, this::compute);
        }

        private String compute(int row) {
            sha.reset();
            for (Field f : frame.fields()) {
                if (f.isNull(row)) {
                    sha.update((byte) 0);
                    continue;
                }
                scratch.clear();
                scratch.put((byte) 1);
                switch (f.type()) {
                    case FLOAT32, FLOAT64 -> scratch.putLong(Double.doubleToRawLongBits(f.getDouble(row)));
                    case BOOL -> scratch.putLong(f.getBool(row) ? 1 : 0);
                    case STRING, JSON -> {
                        byte[] b = f.getUtf8(row);
                        scratch.putLong(b.length);
                        sha.update(scratch.array(), 0, scratch.position());
                        sha.update(b);
                        continue;
                    }
                    default -> scratch.putLong(f.getLong(row));
                }
                sha.update(scratch.array(), 0, scratch.position());
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 16));
        }
    }

    /** For logs: where it stands and how many rows it remembers, not the keys. */
    @Override
    public String toString() {
        return "TailCursor[time=" + timeNanos + "ns, horizon=" + horizonNanos + "ns, " + keys() + " row keys]";
    }
}
