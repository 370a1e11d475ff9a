package io.opencql.cql.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tie rule: rows at the last time sent are neither sent again nor skipped, whatever the reads look like. */
class TailCursorTest {

    static final long MS = 1_000_000L;

    /** A read: rows of (time ms, key, text); the time field is field 1 to show the index is honoured. */
    static Frame read(Object[]... rows) {
        Frame f = new Frame("A");
        var k = f.addField("k", FieldType.INT64, true);
        var t = f.addField("ts", FieldType.TIME, false);
        var s = f.addField("s", FieldType.STRING, true);
        for (Object[] r : rows) {
            t.appendLong((Long) r[0] * MS);
            if (r[1] == null) {
                k.appendNull();
            } else {
                k.appendLong((Integer) r[1]);
            }
            s.appendString((String) r[2]);
        }
        return f;
    }

    static Object[] row(long ms, Integer k, String s) {
        return new Object[] {ms, k, s};
    }

    /** The keys (field k) of the rows a step sends, in its order. */
    static List<Object> sent(Frame f, TailCursor.Step step) {
        List<Object> out = new ArrayList<>();
        for (int r : step.rows()) {
            out.add(f.field(0).getObject(r));
        }
        return out;
    }

    @Test
    void newerRowsAreSentInTimeOrderAndTheCursorMovesToTheNewest() {
        try (Frame f = read(row(30, 3, "c"), row(10, 1, "a"), row(20, 2, "b"), row(10, 4, "d"))) {
            TailCursor.Step s = TailCursor.at(5 * MS).advance(f, 1, 100 * MS);
            assertEquals(List.of(1L, 4L, 2L, 3L), sent(f, s)); // stable: the two rows at 10 keep their order
            assertEquals(30 * MS, s.next().timeNanos());
            assertEquals(1, s.next().sentAtTime().size());
        }
    }

    @Test
    void rowsAtTheLastTimeAreNotSentAgainButNewOnesAtThatTimeAre() {
        TailCursor c;
        try (Frame f = read(row(10, 1, "a"), row(10, 2, "b"))) {
            TailCursor.Step s = TailCursor.at(0).advance(f, 1, 10 * MS);
            assertEquals(List.of(1L, 2L), sent(f, s));
            c = s.next();
        }
        // the next read (from 10 on, inclusive) sees both again plus a third written meanwhile at the same ms
        try (Frame f = read(row(10, 1, "a"), row(10, 3, "c"), row(10, 2, "b"))) {
            TailCursor.Step s = c.advance(f, 1, 20 * MS);
            assertEquals(List.of(3L), sent(f, s));
            c = s.next();
            assertEquals(10 * MS, c.timeNanos());
            assertEquals(3, c.sentAtTime().size());
        }
        // nothing new: nothing sent, cursor unchanged
        try (Frame f = read(row(10, 3, "c"), row(10, 2, "b"), row(10, 1, "a"))) {
            TailCursor.Step s = c.advance(f, 1, 30 * MS);
            assertEquals(List.of(), sent(f, s));
            assertEquals(c, s.next());
        }
        // a newer row moves the cursor and forgets the old keys
        try (Frame f = read(row(10, 1, "a"), row(11, 5, "e"), row(10, 2, "b"), row(10, 3, "c"))) {
            TailCursor.Step s = c.advance(f, 1, 30 * MS);
            assertEquals(List.of(5L), sent(f, s));
            assertEquals(11 * MS, s.next().timeNanos());
            assertEquals(1, s.next().sentAtTime().size());
        }
    }

    @Test
    void identicalRowsAreCountedNotMerged() {
        // a query that does not select the key can return twins: both must arrive, each once
        TailCursor c;
        try (Frame f = read(row(10, null, "x"))) {
            TailCursor.Step s = TailCursor.at(0).advance(f, 1, 10 * MS);
            assertEquals(1, s.rows().length);
            c = s.next();
            assertEquals(Map.of(c.sentAtTime().keySet().iterator().next(), 1), c.sentAtTime());
        }
        try (Frame f = read(row(10, null, "x"), row(10, null, "x"))) {
            TailCursor.Step s = c.advance(f, 1, 10 * MS);
            assertEquals(1, s.rows().length, "the second twin is new");
            c = s.next();
            assertEquals(2, c.sentAtTime().values().iterator().next());
        }
        try (Frame f = read(row(10, null, "x"), row(10, null, "x"))) {
            assertEquals(0, c.advance(f, 1, 10 * MS).rows().length);
        }
    }

    @Test
    void nullsAndValuesThatLookAlikeAreDifferentRows() {
        try (Frame f = read(row(10, null, "x"), row(10, 0, "x"), row(10, 1, null), row(10, 1, ""))) {
            TailCursor c = TailCursor.at(0).advance(f, 1, 10 * MS).next();
            assertEquals(4, c.sentAtTime().size());
        }
    }

    @Test
    void olderRowsAreNeverSentAndFutureRowsWait() {
        try (Frame f = read(row(5, 1, "old"), row(10, 2, "at"), row(15, 3, "new"), row(99, 4, "future"))) {
            TailCursor.Step s = TailCursor.at(10 * MS).advance(f, 1, 20 * MS);
            assertEquals(List.of(2L, 3L), sent(f, s), "the cursor had sent nothing at 10, so that row is new");
            assertEquals(15 * MS, s.next().timeNanos());
            TailCursor.Step later = s.next().advance(f, 1, 100 * MS);
            assertEquals(List.of(4L), sent(f, later));
        }
    }

    @Test
    void theCursorAfterAnInitialFrameContinuesAfterItsNewestRow() {
        try (Frame f = read(row(10, 1, "a"), row(20, 2, "b"), row(20, 3, "c"))) {
            TailCursor c = TailCursor.after(f, 1, 25 * MS);
            assertEquals(20 * MS, c.timeNanos());
            assertEquals(2, c.sentAtTime().size());
        }
        try (Frame f = read()) {
            assertEquals(TailCursor.at(25 * MS), TailCursor.after(f, 1, 25 * MS), "no rows: from the request's end");
        }
    }

    @Test
    void newerPrefersTheLaterCursorAndMergesAtTheSameTime() {
        TailCursor a = new TailCursor(10, Map.of("k1", 1, "k2", 2));
        TailCursor b = new TailCursor(10, Map.of("k2", 3, "k3", 1));
        assertEquals(new TailCursor(10, Map.of("k1", 1, "k2", 3, "k3", 1)), a.newer(b));
        assertEquals(TailCursor.at(11), a.newer(TailCursor.at(11)));
        assertEquals(a, a.newer(TailCursor.at(9)));
        assertEquals(a, a.newer(null));
    }

    /**
     * Rows arrive in random bursts, many sharing a millisecond, and are read back in random order by reads that
     * overlap at random: every row is sent exactly once, in non-decreasing time.
     */
    @Test
    void randomInterleavingsSendEveryRowExactlyOnceInTimeOrder() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            List<Object[]> table = new ArrayList<>();
            List<Long> sentKeys = new ArrayList<>();
            List<Long> sentTimes = new ArrayList<>();
            TailCursor c = TailCursor.at(0);
            long now = 0;
            int key = 0;
            for (int read = 0; read < 30; read++) {
                int burst = rnd.nextInt(4);
                for (int i = 0; i < burst; i++) {
                    now += rnd.nextInt(3); // often the same ms
                    table.add(row(now, key++, rnd.nextBoolean() ? "same" : "v" + key));
                }
                // what the node returns for ts >= cursor: every stored row from there, in random order
                List<Object[]> visible = new ArrayList<>();
                for (Object[] r : table) {
                    if ((Long) r[0] * MS >= c.timeNanos()) {
                        visible.add(r);
                    }
                }
                java.util.Collections.shuffle(visible, rnd);
                try (Frame f = read(visible.toArray(new Object[0][]))) {
                    TailCursor.Step s = c.advance(f, 1, now * MS);
                    for (int r : s.rows()) {
                        sentKeys.add(f.field(0).getLong(r));
                        sentTimes.add(f.field(1).getLong(r));
                    }
                    c = s.next();
                }
            }
            List<Long> expected = new ArrayList<>();
            for (int k = 0; k < key; k++) {
                expected.add((long) k);
            }
            List<Long> sortedKeys = new ArrayList<>(sentKeys);
            sortedKeys.sort(null);
            assertEquals(expected, sortedKeys, "trial " + trial + ": each row once");
            for (int i = 1; i < sentTimes.size(); i++) {
                assertEquals(true, sentTimes.get(i - 1) <= sentTimes.get(i), "trial " + trial + ": time order");
            }
        }
    }

    @Test
    void backoffDoublesFromOneSecondToThirty() {
        long[] expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        long[] got = new long[expected.length];
        for (int i = 0; i < got.length; i++) {
            got[i] = LiveTail.backoffMs(i + 1, 250);
        }
        assertArrayEquals(expected, got);
        assertEquals(60_000, LiveTail.backoffMs(1, 60_000), "never sooner than the interval");
        assertEquals(30_000, LiveTail.backoffMs(100, 1000));
    }
}
