package io.opencql.grafana.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LongToWideTest {

    private static final long S = 1_000_000_000L; // one second in ns

    /** The values of a field, boxed (Double / null), for compact assertions. */
    private static List<Object> values(Field f) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            out.add(f.getObject(i));
        }
        return out;
    }

    private static List<Object> list(Object... v) {
        return Arrays.asList(v);
    }

    private static String describe(Field f) {
        return f.name() + f.labels();
    }

    private static List<String> describe(Frame f) {
        return f.fields().stream().map(LongToWideTest::describe).toList();
    }

    // ---- labels, merging, meta

    @Test
    void stringAndBoolColumnsBecomeLabelsAndEqualTimesMerge() {
        try (Frame in = new Frame("metrics", "A", FrameMeta.empty().withExecutedQueryString("SELECT *").withNotice(Notice.warning("row limit")))) {
            Field t = in.addField("ts", FieldType.TIME, false);
            Field host = in.addField("host", FieldType.STRING, true);
            Field up = in.addField("up", FieldType.BOOL, false);
            Field value = in.addField("value", FieldType.FLOAT64, false).setConfig(FieldConfig.EMPTY.withUnit("ms"));
            Field count = in.addField("count", FieldType.INT64, false);
            Object[][] rows = {
                {1 * S, "a", true, 1.0, 10L},
                {1 * S, "b", false, 2.0, 20L},
                {2 * S, "a", true, 3.0, 30L},
                {2 * S, null, true, 4.0, 40L},
            };
            for (Object[] r : rows) {
                t.appendLong((Long) r[0]);
                host.appendString((String) r[1]);
                up.appendBool((Boolean) r[2]);
                value.appendDouble((Double) r[3]);
                count.appendLong((Long) r[4]);
            }

            try (Frame wide = LongToWide.convert(in, FillMode.NONE)) {
                assertEquals("metrics", wide.name());
                assertEquals("A", wide.refId());
                assertEquals("timeseries-wide", wide.meta().type());
                assertArrayEquals(new int[] {0, 1}, wide.meta().typeVersion());
                assertEquals("SELECT *", wide.meta().executedQueryString());
                assertEquals(List.of(Notice.warning("row limit")), wide.meta().notices());
                assertTrue(wide.meta().isDataplane());

                // sorted by name, then by label values in column order (host, then up); a null host is ""
                assertEquals(List.of("ts{}",
                        "count{host=, up=true}", "count{host=a, up=true}", "count{host=b, up=false}",
                        "value{host=, up=true}", "value{host=a, up=true}", "value{host=b, up=false}"), describe(wide));

                Field wt = wide.field(0);
                assertEquals(FieldType.TIME, wt.type());
                assertFalse(wt.nullable());
                assertEquals(list(1 * S, 2 * S), values(wt), "two distinct times, two rows");

                // no fill and non-nullable inputs: missing cells are 0.0, as Go's zero value
                assertEquals(list(0.0, 40.0), values(wide.field(1)));
                assertEquals(list(10.0, 30.0), values(wide.field(2)));
                assertEquals(list(20.0, 0.0), values(wide.field(3)));
                assertEquals(list(0.0, 4.0), values(wide.field(4)));
                assertEquals(list(1.0, 3.0), values(wide.field(5)));
                assertEquals(list(2.0, 0.0), values(wide.field(6)));
                for (int i = 1; i < wide.fields().size(); i++) {
                    Field f = wide.field(i);
                    assertEquals(FieldType.FLOAT64, f.type(), describe(f));
                    assertFalse(f.nullable(), describe(f));
                }
                assertEquals("ms", wide.field(5).config().unit(), "the value column's config is carried over");
                assertNull(wide.field(1).config());
                assertEquals(Map.of("host", "b", "up", "false"), wide.field(6).labels());
            }
            assertEquals(4, in.rowCount(), "input untouched");
        }
    }

    @Test
    void unsortedInputIsSortedStablyAndTheLaterDuplicateWins() {
        try (Frame in = new Frame("")) {
            Field t = in.addField("t", FieldType.TIME, false);
            Field s = in.addField("s", FieldType.STRING, false);
            Field v = in.addField("v", FieldType.FLOAT64, false);
            long[] times = {2 * S, 1 * S, 3 * S, 1 * S, 2 * S};
            String[] series = {"a", "a", "a", "a", "b"};
            double[] vals = {2, 1, 3, 9, 20};
            for (int i = 0; i < times.length; i++) {
                t.appendLong(times[i]);
                s.appendString(series[i]);
                v.appendDouble(vals[i]);
            }
            try (Frame wide = LongToWide.convert(in, FillMode.NULL)) {
                assertEquals(List.of("t{}", "v{s=a}", "v{s=b}"), describe(wide));
                assertEquals(list(1 * S, 2 * S, 3 * S), values(wide.field(0)));
                // (1s, a) appears twice: 1 then 9 in input order; the later row wins, as in Go
                assertEquals(list(9.0, 2.0, 3.0), values(wide.field(1)));
                assertEquals(list(null, 20.0, null), values(wide.field(2)));
            }
        }
    }

    // ---- fill modes

    /** Series a at 1..5 s, series b only at 2 s and 4 s (missing before, between and after). */
    private static Frame gappy(boolean nullableValues) {
        Frame in = new Frame("gappy");
        Field t = in.addField("t", FieldType.TIME, false);
        Field s = in.addField("s", FieldType.STRING, false);
        Field v = in.addField("v", FieldType.INT32, nullableValues);
        for (int i = 1; i <= 5; i++) {
            t.appendLong(i * S);
            s.appendString("a");
            v.appendLong(i);
            if (i == 2 || i == 4) {
                t.appendLong(i * S);
                s.appendString("b");
                v.appendLong(i * 10);
            }
        }
        return in;
    }

    private static Field seriesB(Frame wide) {
        assertEquals(List.of("t{}", "v{s=a}", "v{s=b}"), describe(wide));
        assertEquals(list(1.0, 2.0, 3.0, 4.0, 5.0), values(wide.field(1)));
        return wide.field(2);
    }

    @Test
    void fillNoneUsesZeroForNonNullableColumns() {
        try (Frame in = gappy(false); Frame wide = LongToWide.convert(in, FillMode.NONE)) {
            Field b = seriesB(wide);
            assertFalse(b.nullable());
            assertEquals(list(0.0, 20.0, 0.0, 40.0, 0.0), values(b));
        }
    }

    @Test
    void fillNoneUsesNullForNullableColumns() {
        try (Frame in = gappy(true); Frame wide = LongToWide.convert(in, FillMode.NONE)) {
            Field b = seriesB(wide);
            assertTrue(b.nullable());
            assertEquals(list(null, 20.0, null, 40.0, null), values(b));
        }
    }

    @Test
    void fillNull() {
        try (Frame in = gappy(false); Frame wide = LongToWide.convert(in, FillMode.NULL)) {
            Field b = seriesB(wide);
            assertTrue(b.nullable());
            assertEquals(list(null, 20.0, null, 40.0, null), values(b));
        }
    }

    @Test
    void fillPreviousIsNullBeforeTheFirstValue() {
        try (Frame in = gappy(false); Frame wide = LongToWide.convert(in, FillMode.PREVIOUS)) {
            Field b = seriesB(wide);
            assertTrue(b.nullable());
            assertEquals(list(null, 20.0, 20.0, 40.0, 40.0), values(b));
        }
    }

    @Test
    void fillValue() {
        try (Frame in = gappy(false); Frame wide = LongToWide.convert(in, FillMode.value(-1.5))) {
            Field b = seriesB(wide);
            assertFalse(b.nullable(), "a fill value introduces no nulls (Go keeps the type non-nullable)");
            assertEquals(list(-1.5, 20.0, -1.5, 40.0, -1.5), values(b));
        }
    }

    @Test
    void realNullsStayNullAndPreviousCarriesThem() {
        try (Frame in = new Frame("")) {
            Field t = in.addField("t", FieldType.TIME, false);
            Field s = in.addField("s", FieldType.STRING, false);
            Field v = in.addField("v", FieldType.FLOAT32, true);
            // b: 10 at 1 s, a real null at 2 s, nothing at 3 s, 40 at 4 s; a fills every time
            for (int i = 1; i <= 4; i++) {
                t.appendLong(i * S);
                s.appendString("a");
                v.appendDouble(i);
            }
            t.appendLong(1 * S);
            s.appendString("b");
            v.appendDouble(10);
            t.appendLong(2 * S);
            s.appendString("b");
            v.appendNull();
            t.appendLong(4 * S);
            s.appendString("b");
            v.appendDouble(40);
            try (Frame wide = LongToWide.convert(in, FillMode.PREVIOUS)) {
                assertEquals(list(10.0, null, null, 40.0), values(wide.field(2)));
            }
            try (Frame wide = LongToWide.convert(in, FillMode.value(7))) {
                assertTrue(wide.field(2).nullable(), "nullable source column");
                assertEquals(list(10.0, null, 7.0, 40.0), values(wide.field(2)));
            }
        }
    }

    // ---- types

    @Test
    void everyNumericTypeBecomesFloat64AndOtherColumnsAreDropped() {
        try (Frame in = new Frame("")) {
            in.addField("t", FieldType.TIME, false).appendLong(5 * S);
            in.addField("i8", FieldType.INT8, false).appendLong(-7);
            in.addField("u64", FieldType.UINT64, false).appendLong(-1L); // 2^64 - 1
            in.addField("u32", FieldType.UINT32, false).appendLong(4_294_967_295L);
            in.addField("f32", FieldType.FLOAT32, false).appendDouble(0.5);
            in.addField("t2", FieldType.TIME, false).appendLong(9 * S);
            in.addField("doc", FieldType.JSON, false).appendString("{}");
            in.addField("level", FieldType.ENUM, false).appendLong(1);
            try (Frame wide = LongToWide.convert(in, FillMode.NONE)) {
                assertEquals(List.of("t{}", "f32{}", "i8{}", "u32{}", "u64{}"), describe(wide));
                assertEquals(list(0.5), values(wide.field(1)));
                assertEquals(list(-7.0), values(wide.field(2)));
                assertEquals(list(4_294_967_295.0), values(wide.field(3)));
                assertEquals(list(18_446_744_073_709_551_615.0), values(wide.field(4)), "uint64 read unsigned");
                for (Field f : wide.fields().subList(1, 5)) {
                    assertEquals(FieldType.FLOAT64, f.type());
                    assertTrue(f.labels().isEmpty(), "no dimension columns, no labels");
                }
            }
        }
    }

    @Test
    void nullableTimeWithoutNullsIsAcceptedAndBecomesNonNullable() {
        try (Frame in = new Frame("")) {
            Field t = in.addField("t", FieldType.TIME, true);
            t.appendLong(2 * S);
            t.appendLong(1 * S);
            Field v = in.addField("v", FieldType.INT16, false);
            v.appendLong(2);
            v.appendLong(1);
            try (Frame wide = LongToWide.convert(in, FillMode.NONE)) {
                assertFalse(wide.field(0).nullable());
                assertEquals(list(1 * S, 2 * S), values(wide.field(0)));
                assertEquals(list(1.0, 2.0), values(wide.field(1)));
            }
        }
    }

    @Test
    void zeroRowsGiveOnlyTheTimeField() {
        try (Frame in = new Frame("none", "Z", null)) {
            in.addField("t", FieldType.TIME, false);
            in.addField("host", FieldType.STRING, false);
            in.addField("v", FieldType.FLOAT64, false);
            try (Frame wide = LongToWide.convert(in, FillMode.NULL)) {
                assertEquals(List.of("t{}"), describe(wide));
                assertEquals(0, wide.rowCount());
                assertEquals("Z", wide.refId());
                assertEquals("timeseries-wide", wide.meta().type());
            }
        }
    }

    // ---- errors

    @Test
    void noTimeFieldIsRejected() {
        try (Frame in = new Frame("q")) {
            in.addField("host", FieldType.STRING, false).appendString("a");
            in.addField("v", FieldType.FLOAT64, false).appendDouble(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LongToWide.convert(in, FillMode.NONE));
            assertTrue(e.getMessage().contains("no time field"), e.getMessage());
            assertTrue(e.getMessage().contains("host string, v float64"), e.getMessage());
        }
    }

    @Test
    void nullTimeIsRejectedWithItsRow() {
        long before = Frame.totalAllocatedBytes();
        try (Frame in = new Frame("q")) {
            Field t = in.addField("ts", FieldType.TIME, true);
            t.appendLong(S);
            t.appendNull();
            Field v = in.addField("v", FieldType.FLOAT64, false);
            v.appendDouble(1);
            v.appendDouble(2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LongToWide.convert(in, FillMode.NONE));
            assertTrue(e.getMessage().contains("time field 'ts' is null at row 1"), e.getMessage());
        }
        assertEquals(before, Frame.totalAllocatedBytes(), "no frame memory left behind");
    }

    @Test
    void noNumericFieldIsRejected() {
        try (Frame in = new Frame("q")) {
            in.addField("t", FieldType.TIME, false).appendLong(S);
            in.addField("host", FieldType.STRING, false).appendString("a");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LongToWide.convert(in, FillMode.NONE));
            assertTrue(e.getMessage().contains("no numeric value field"), e.getMessage());
        }
    }

    @Test
    void duplicateDimensionNamesAreRejected() {
        try (Frame in = new Frame("q")) {
            in.addField("t", FieldType.TIME, false).appendLong(S);
            in.addField("host", FieldType.STRING, false).appendString("a");
            in.addField("host", FieldType.BOOL, false).appendBool(true);
            in.addField("v", FieldType.FLOAT64, false).appendDouble(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LongToWide.convert(in, FillMode.NONE));
            assertTrue(e.getMessage().contains("'host'"), e.getMessage());
        }
    }

    // ---- against a plain reference implementation, on input big enough to exercise the merge sort

    @Test
    void matchesANaiveConversionOnShuffledInput() {
        Random rnd = new Random(42);
        int n = 5_000;
        long[] times = new long[n];
        String[] hosts = new String[n];
        Boolean[] flags = new Boolean[n];
        Double[] vals = new Double[n];
        for (int i = 0; i < n; i++) {
            times[i] = rnd.nextInt(400) * S + (rnd.nextBoolean() ? 0 : 1); // many ties, some 1 ns apart
            hosts[i] = rnd.nextInt(10) == 0 ? null : "h" + rnd.nextInt(7);
            flags[i] = rnd.nextInt(5) == 0 ? null : rnd.nextBoolean();
            vals[i] = rnd.nextInt(20) == 0 ? null : (double) rnd.nextInt(1000);
        }
        // a separator below every other character keeps the TreeMap's order that of (host, flag) pairs
        final String SEP = "\u0000";
        // reference: time -> series -> last value in input order (a TreeMap does the sorting)
        TreeMap<Long, Map<String, Double>> expectedCells = new TreeMap<>();
        Map<String, Boolean> seriesSeen = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String key = (hosts[i] == null ? "" : hosts[i]) + SEP + (flags[i] == null ? "" : flags[i].toString());
            seriesSeen.put(key, true);
            expectedCells.computeIfAbsent(times[i], k -> new HashMap<>()).put(key, vals[i]);
        }

        try (Frame in = new Frame("")) {
            Field host = in.addField("host", FieldType.STRING, true);
            Field t = in.addField("t", FieldType.TIME, false);
            Field v = in.addField("v", FieldType.FLOAT64, true);
            Field flag = in.addField("flag", FieldType.BOOL, true);
            for (int i = 0; i < n; i++) {
                host.appendString(hosts[i]);
                t.appendLong(times[i]);
                if (vals[i] == null) {
                    v.appendNull();
                } else {
                    v.appendDouble(vals[i]);
                }
                if (flags[i] == null) {
                    flag.appendNull();
                } else {
                    flag.appendBool(flags[i]);
                }
            }
            try (Frame wide = LongToWide.convert(in, FillMode.NULL)) {
                Field wt = wide.field(0);
                assertEquals(new ArrayList<>(expectedCells.keySet()), values(wt));
                // fields come sorted by host, then flag ("" < "false" < "true")
                List<String> expectedOrder = new ArrayList<>(seriesSeen.keySet());
                assertEquals(expectedOrder.size() + 1, wide.fields().size());
                for (int fi = 1; fi < wide.fields().size(); fi++) {
                    Field f = wide.field(fi);
                    String key = f.labels().get("host") + SEP + f.labels().get("flag");
                    assertEquals(expectedOrder.get(fi - 1), key, "field order");
                    int row = 0;
                    for (Map<String, Double> cells : expectedCells.values()) {
                        Object actual = f.getObject(row);
                        assertEquals(cells.get(key), actual, key + " at row " + row);
                        row++;
                    }
                }
            }
        }
    }

    @Test
    void fillModesSayWhetherTheyIntroduceNulls() {
        assertEquals(new FillMode.Value(3.0), FillMode.value(3.0));
        assertTrue(FillMode.NULL.introducesNulls());
        assertTrue(FillMode.PREVIOUS.introducesNulls());
        assertFalse(FillMode.NONE.introducesNulls());
        assertFalse(FillMode.value(0).introducesNulls());
    }
}
