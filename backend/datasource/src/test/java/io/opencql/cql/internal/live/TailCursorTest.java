package io.opencql.cql.internal.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            TailCursor.Step s = TailCursor.at(5 * MS).advance(f, 1, 100 * MS, 0);
            assertEquals(List.of(1L, 4L, 2L, 3L), sent(f, s)); // stable: the two rows at 10 keep their order
            assertEquals(30 * MS, s.next().timeNanos());
            assertEquals(1, s.next().keys());
        }
    }

    @Test
    void rowsAtTheLastTimeAreNotSentAgainButNewOnesAtThatTimeAre() {
        TailCursor c;
        try (Frame f = read(row(10, 1, "a"), row(10, 2, "b"))) {
            TailCursor.Step s = TailCursor.at(0).advance(f, 1, 10 * MS, 0);
            assertEquals(List.of(1L, 2L), sent(f, s));
            c = s.next();
        }
        // the next read (from 10 on, inclusive) sees both again plus a third written meanwhile at the same ms
        try (Frame f = read(row(10, 1, "a"), row(10, 3, "c"), row(10, 2, "b"))) {
            TailCursor.Step s = c.advance(f, 1, 20 * MS, 0);
            assertEquals(List.of(3L), sent(f, s));
            c = s.next();
            assertEquals(10 * MS, c.timeNanos());
            assertEquals(3, c.keys());
        }
        // nothing new: nothing sent, cursor unchanged
        try (Frame f = read(row(10, 3, "c"), row(10, 2, "b"), row(10, 1, "a"))) {
            TailCursor.Step s = c.advance(f, 1, 30 * MS, 0);
            assertEquals(List.of(), sent(f, s));
            assertEquals(c, s.next());
        }
        // a newer row moves the cursor and forgets the old keys
        try (Frame f = read(row(10, 1, "a"), row(11, 5, "e"), row(10, 2, "b"), row(10, 3, "c"))) {
            TailCursor.Step s = c.advance(f, 1, 30 * MS, 0);
            assertEquals(List.of(5L), sent(f, s));
            assertEquals(11 * MS, s.next().timeNanos());
            assertEquals(1, s.next().keys(), "with no lateness only the newest time's keys are kept");
        }
    }

    @Test
    void identicalRowsAreCountedNotMerged() {
        // a query that does not select the key can return twins: both must arrive, each once
        TailCursor c;
        try (Frame f = read(row(10, null, "x"))) {
            TailCursor.Step s = TailCursor.at(0).advance(f, 1, 10 * MS, 0);
            assertEquals(1, s.rows().length);
            c = s.next();
            assertEquals(1, c.sent().get(10 * MS).values().iterator().next());
        }
        try (Frame f = read(row(10, null, "x"), row(10, null, "x"))) {
            TailCursor.Step s = c.advance(f, 1, 10 * MS, 0);
            assertEquals(1, s.rows().length, "the second twin is new");
            c = s.next();
            assertEquals(2, c.sent().get(10 * MS).values().iterator().next());
        }
        try (Frame f = read(row(10, null, "x"), row(10, null, "x"))) {
            assertEquals(0, c.advance(f, 1, 10 * MS, 0).rows().length);
        }
    }

    @Test
    void nullsAndValuesThatLookAlikeAreDifferentRows() {
        try (Frame f = read(row(10, null, "x"), row(10, 0, "x"), row(10, 1, null), row(10, 1, ""))) {
            TailCursor c = TailCursor.at(0).advance(f, 1, 10 * MS, 0).next();
            assertEquals(4, c.keys());
        }
    }

    @Test
    void olderRowsAreNeverSentAndFutureRowsWait() {
        try (Frame f = read(row(5, 1, "old"), row(10, 2, "at"), row(15, 3, "new"), row(99, 4, "future"))) {
            TailCursor.Step s = TailCursor.at(10 * MS).advance(f, 1, 20 * MS, 0);
            assertEquals(List.of(2L, 3L), sent(f, s), "the cursor had sent nothing at 10, so that row is new");
            assertEquals(15 * MS, s.next().timeNanos());
            TailCursor.Step later = s.next().advance(f, 1, 100 * MS, 0);
            assertEquals(List.of(4L), sent(f, later));
        }
    }

    @Test
    void theCursorAfterAnInitialFrameContinuesAfterItsNewestRow() {
        try (Frame f = read(row(10, 1, "a"), row(20, 2, "b"), row(20, 3, "c"))) {
            TailCursor c = TailCursor.after(f, 1, 25 * MS, 0, 0);
            assertEquals(20 * MS, c.timeNanos());
            assertEquals(2, c.keys());
        }
        try (Frame f = read()) {
            assertEquals(TailCursor.at(25 * MS), TailCursor.after(f, 1, 25 * MS, 0, 0), "no rows: from the request's end");
        }
    }

    @Test
    void theCursorAfterAnInitialFrameLooksBackForLateRowsButNotBeforeTheAnswersStart() {
        try (Frame f = read(row(1500, 1, "a"), row(2000, 2, "b"))) {
            TailCursor c = TailCursor.after(f, 1, 2500 * MS, 1000 * MS, 0);
            assertEquals(new TailCursor(2000 * MS, 1000 * MS, c.sent()), c);
            assertEquals(2, c.keys(), "both rows of the last second are known, so neither is sent again");
            TailCursor clipped = TailCursor.after(f, 1, 2500 * MS, 1000 * MS, 1800 * MS);
            assertEquals(1800 * MS, clipped.horizonNanos(), "the answer did not ask for rows before 1800");
            assertEquals(1, clipped.keys());
        }
        try (Frame f = read()) {
            // an empty answer: a row stamped just before its end may still become visible
            assertEquals(new TailCursor(2500 * MS, 1500 * MS, Map.of()), TailCursor.after(f, 1, 2500 * MS, 1000 * MS, 0));
            assertEquals(new TailCursor(2500 * MS, 2200 * MS, Map.of()), TailCursor.after(f, 1, 2500 * MS, 1000 * MS, 2200 * MS));
        }
    }

    @Test
    void newerPrefersTheLaterCursorAndMergesAtTheSameTime() {
        TailCursor a = new TailCursor(10, 5, Map.of(10L, Map.of("k1", 1, "k2", 2)));
        TailCursor b = new TailCursor(10, 8, Map.of(10L, Map.of("k2", 3, "k3", 1), 9L, Map.of("k4", 1)));
        assertEquals(new TailCursor(10, 5, Map.of(10L, Map.of("k1", 1, "k2", 3, "k3", 1), 9L, Map.of("k4", 1))), a.newer(b));
        assertEquals(TailCursor.at(11), a.newer(TailCursor.at(11)));
        assertEquals(a, a.newer(TailCursor.at(9)));
        assertEquals(a, a.newer(null));
    }

    @Test
    void aRowThatBecomesVisibleLateWithAnOlderTimeIsSentOnceWithinTheLateness() {
        long late = 1000 * MS;
        TailCursor c;
        try (Frame f = read(row(5000, 2, "b"))) { // written second, visible first
            TailCursor.Step s = TailCursor.at(0).advance(f, 1, 5000 * MS, late);
            assertEquals(List.of(2L), sent(f, s));
            c = s.next();
            assertEquals(4000 * MS, c.horizonNanos(), "the next read starts a second before the newest row");
        }
        try (Frame f = read(row(4800, 1, "a"), row(5000, 2, "b"), row(3000, 0, "too late"))) {
            TailCursor.Step s = c.advance(f, 1, 5100 * MS, late);
            assertEquals(List.of(1L), sent(f, s), "the late row once, the sent one not again, the one older than the window never");
            c = s.next();
            assertEquals(5000 * MS, c.timeNanos());
            assertEquals(2, c.keys());
        }
        try (Frame f = read(row(4800, 1, "a"), row(5000, 2, "b"), row(6500, 3, "c"))) {
            TailCursor.Step s = c.advance(f, 1, 7000 * MS, late);
            assertEquals(List.of(3L), sent(f, s));
            assertEquals(5500 * MS, s.next().horizonNanos());
            assertEquals(1, s.next().keys(), "keys older than the window are forgotten");
        }
    }

    @Test
    void aCursorAtATimeSendsNothingOlderEvenWithLateness() {
        try (Frame f = read(row(999, 1, "old"), row(1000, 2, "at"), row(1001, 3, "new"))) {
            TailCursor.Step s = TailCursor.at(1000 * MS).advance(f, 1, 2000 * MS, 1000 * MS);
            assertEquals(List.of(2L, 3L), sent(f, s));
            assertEquals(1000 * MS, s.next().horizonNanos(), "the horizon never moves back");
        }
    }

    /**
     * Writers whose rows become visible out of timestamp order, by up to the lateness: every row is still sent
     * exactly once, each read's rows in ascending time.
     */
    @Test
    void outOfOrderVisibilityWithinTheLatenessLosesNothing() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            List<Object[]> table = new ArrayList<>();
            List<Long> sentKeys = new ArrayList<>();
            TailCursor c = TailCursor.at(0);
            long now = 1000;
            int key = 0;
            for (int read = 0; read < 40; read++) {
                now += rnd.nextInt(300);
                int burst = rnd.nextInt(5);
                for (int i = 0; i < burst; i++) {
                    long ts = now - rnd.nextInt(900); // stamped up to 0.9 s before it becomes visible
                    table.add(row(ts, key++, rnd.nextBoolean() ? "same" : "v" + key));
                }
                List<Object[]> visible = new ArrayList<>();
                for (Object[] r : table) {
                    if ((Long) r[0] * MS >= c.horizonNanos()) {
                        visible.add(r);
                    }
                }
                java.util.Collections.shuffle(visible, rnd);
                try (Frame f = read(visible.toArray(new Object[0][]))) {
                    TailCursor.Step s = c.advance(f, 1, now * MS, 1000 * MS);
                    long last = Long.MIN_VALUE;
                    for (int r : s.rows()) {
                        sentKeys.add(f.field(0).getLong(r));
                        assertTrue(f.field(1).getLong(r) >= last, "each read in ascending time");
                        last = f.field(1).getLong(r);
                    }
                    c = s.next();
                }
            }
            List<Long> sorted = new ArrayList<>(sentKeys);
            sorted.sort(null);
            List<Long> expected = new ArrayList<>();
            for (int k = 0; k < key; k++) {
                expected.add((long) k);
            }
            assertEquals(expected, sorted, "trial " + trial + ": each row once");
        }
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
                    if ((Long) r[0] * MS >= c.horizonNanos()) {
                        visible.add(r);
                    }
                }
                java.util.Collections.shuffle(visible, rnd);
                try (Frame f = read(visible.toArray(new Object[0][]))) {
                    TailCursor.Step s = c.advance(f, 1, now * MS, 0);
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
    void backoffDoublesFromOneSecondToFive() {
        long[] expected = {1000, 2000, 4000, 5000, 5000, 5000};
        long[] got = new long[expected.length];
        for (int i = 0; i < got.length; i++) {
            got[i] = LiveTail.backoffMs(i + 1, 250);
        }
        assertArrayEquals(expected, got);
        assertEquals(60_000, LiveTail.backoffMs(1, 60_000), "never sooner than the interval");
        assertEquals(5_000, LiveTail.backoffMs(100, 1000));
        assertEquals(5_000, LiveTail.backoffMs(Integer.MAX_VALUE, 1000), "no overflow after a very long outage");
    }
}
