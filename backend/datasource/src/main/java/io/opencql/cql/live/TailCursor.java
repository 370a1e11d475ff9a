package io.opencql.cql.live;

import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.Frame;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a tail stands: the newest time it has sent, and which rows at exactly that time it has sent.
 *
 * <p><b>The tie rule.</b> Each read asks for rows with time {@code >= timeNanos} (the window starts AT the last
 * time sent, not after it), because rows with that same time may still arrive after a read: a timestamp is only
 * a millisecond, and several writers, or a batch, easily share one. Rows at exactly {@code timeNanos} that were
 * already sent are recognised by a key (a hash of all the row's values) and dropped; any other row at that time
 * is new. Keys are counted, not just remembered, so that two rows with identical values (a query that does not
 * select the primary key can return such twins) are both sent once, never merged. Only the rows of one timestamp
 * are remembered: the cost does not grow with the stream.
 *
 * <p>Rows older than {@code timeNanos} are never sent (a query without a time filter returns them again and
 * again), and rows newer than the read's upper bound ("now") wait for a later read, so that a row stamped in the
 * future cannot move the cursor past rows that are still to come.
 *
 * @param timeNanos  the newest time sent, epoch nanoseconds
 * @param sentAtTime keys of the rows sent at exactly {@code timeNanos}, with how many rows had that key
 */
public record TailCursor(long timeNanos, Map<String, Integer> sentAtTime) {

    public TailCursor {
        sentAtTime = Map.copyOf(sentAtTime);
    }

    /** A cursor at {@code timeNanos} that has sent nothing at that time. */
    public static TailCursor at(long timeNanos) {
        return new TailCursor(timeNanos, Map.of());
    }

    /** What one read gives: the rows to send, in ascending time (stable), and the cursor after sending them. */
    public record Step(int[] rows, TailCursor next) {
    }

    /**
     * The new rows of a read and the cursor after them.
     *
     * @param frame     the read, in any order
     * @param timeField the index of its (non-null) time field
     * @param toNanos   the read's upper bound: rows after it are left for a later read
     */
    public Step advance(Frame frame, int timeField, long toNanos) {
        Field time = frame.field(timeField);
        int n = frame.rowCount();
        RowKeys keys = new RowKeys(frame);
        Map<String, Integer> seenAtTime = new HashMap<>();
        int[] rows = new int[n];
        long[] times = new long[n];
        int count = 0;
        long newest = timeNanos;
        for (int i = 0; i < n; i++) {
            long t = time.getLong(i);
            if (t < timeNanos || t > toNanos) {
                continue;
            }
            if (t == timeNanos) {
                int seen = seenAtTime.merge(keys.of(i), 1, Integer::sum);
                if (seen <= sentAtTime.getOrDefault(keys.of(i), 0)) {
                    continue; // this many rows with this key were sent already
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
        Map<String, Integer> sent;
        if (newest > timeNanos) {
            sent = new HashMap<>();
            for (int k = 0; k < count; k++) {
                if (times[k] == newest) {
                    sent.merge(keys.of(rows[k]), 1, Integer::sum);
                }
            }
        } else {
            sent = new HashMap<>(sentAtTime);
            seenAtTime.forEach((k, c) -> sent.merge(k, c, Math::max));
        }
        return new Step(send, new TailCursor(newest, sent));
    }

    /**
     * The cursor after a frame that was delivered some other way (QueryData's answer, which the browser holds when
     * it subscribes): as if its rows up to {@code capNanos} had been sent; a frame without such rows starts the tail
     * at {@code capNanos}.
     */
    public static TailCursor after(Frame frame, int timeField, long capNanos) {
        TailCursor c = at(Long.MIN_VALUE).advance(frame, timeField, capNanos).next();
        return c.timeNanos == Long.MIN_VALUE ? at(capNanos) : c;
    }

    /** The later of two cursors; at the same time, what either has sent. */
    public TailCursor newer(TailCursor other) {
        if (other == null || other.timeNanos < timeNanos) {
            return this;
        }
        if (other.timeNanos > timeNanos) {
            return other;
        }
        Map<String, Integer> sent = new HashMap<>(sentAtTime);
        other.sentAtTime.forEach((k, c) -> sent.merge(k, c, Math::max));
        return new TailCursor(timeNanos, sent);
    }

    /** Sorted keys for stable persistence. */
    public Map<String, Integer> sortedSent() {
        return new TreeMap<>(sentAtTime);
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
     * text, its length, so that no two different rows encode alike. Computed only for rows at the cursor's time.
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

    /** For logs: the time and how many rows at it were sent, not the keys. */
    @Override
    public String toString() {
        return "TailCursor[time=" + timeNanos + "ns, " + sentAtTime.size() + " row keys at that time]";
    }
}
