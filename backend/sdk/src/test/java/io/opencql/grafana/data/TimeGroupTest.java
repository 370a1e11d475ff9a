package io.opencql.grafana.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.opencql.grafana.data.TimeGroup.Aggregate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeGroupTest {

    private static final long S = 1_000_000_000L;

    private static List<Object> values(Field f) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            out.add(f.getObject(i));
        }
        return out;
    }

    /** ts, sensor (string), ok (bool), value (int32, nullable), json (dropped); rows deliberately out of time order. */
    private static Frame input() {
        Frame in = new Frame("r", "A", FrameMeta.empty().withExecutedQueryString("SELECT 1"));
        Field t = in.addField("ts", FieldType.TIME, false);
        Field sensor = in.addField("sensor", FieldType.STRING, true);
        Field ok = in.addField("ok", FieldType.BOOL, false);
        Field v = in.addField("value", FieldType.INT32, true).setConfig(FieldConfig.EMPTY.withUnit("celsius"));
        Field json = in.addField("tags", FieldType.JSON, true);
        Object[][] rows = {
            {62 * S, "a", true, 7},
            {5 * S, "a", true, 1},
            {30 * S, "a", true, 3},
            {59 * S, "b", true, 10},
            {0L, "a", true, 2},
            {61 * S, "a", true, null},
            {-1 * S, "a", true, 100}, // before the epoch: bucket -60 s
            {45 * S, null, true, 5},
            {45 * S, "a", false, 6}, // same sensor, other bool: another series
        };
        for (Object[] r : rows) {
            t.appendLong((Long) r[0]);
            if (r[1] == null) {
                sensor.appendNull();
            } else {
                sensor.appendString((String) r[1]);
            }
            ok.appendBool((Boolean) r[2]);
            if (r[3] == null) {
                v.appendNull();
            } else {
                v.appendLong((Integer) r[3]);
            }
            json.appendNull();
        }
        return in;
    }

    private static Map<String, List<Object>> run(Aggregate a) {
        try (Frame in = input(); Frame out = TimeGroup.apply(in, 60 * S, a)) {
            assertEquals(List.of("ts", "sensor", "ok", "value"), out.fields().stream().map(Field::name).toList());
            assertEquals(FieldType.FLOAT64, out.field(3).type());
            assertEquals("celsius", out.field(3).config().unit());
            assertEquals("A", out.refId());
            assertEquals("SELECT 1", out.meta().executedQueryString());
            return Map.of("ts", values(out.field(0)), "sensor", values(out.field(1)), "ok", values(out.field(2)),
                    "value", values(out.field(3)));
        }
    }

    @Test
    void rowsOfOneSeriesInOneBucketBecomeOneRowInBucketOrder() {
        Map<String, List<Object>> avg = run(Aggregate.AVG);
        // buckets: -60 s (a), 0 s (a, b, null-sensor, a/false), 60 s (a)
        assertEquals(List.of(-60 * S, 0L, 0L, 0L, 0L, 60 * S), avg.get("ts"));
        assertEquals(Arrays.asList("a", "a", "b", null, "a", "a"), avg.get("sensor"));
        assertEquals(List.of(true, true, true, true, false, true), avg.get("ok"));
        assertEquals(Arrays.asList(100.0, 2.0, 10.0, 5.0, 6.0, 7.0), avg.get("value"), "avg of 1, 3, 2; the null is skipped");
    }

    @Test
    void everyAggregate() {
        assertEquals(Arrays.asList(100.0, 1.0, 10.0, 5.0, 6.0, 7.0), run(Aggregate.MIN).get("value"));
        assertEquals(Arrays.asList(100.0, 3.0, 10.0, 5.0, 6.0, 7.0), run(Aggregate.MAX).get("value"));
        assertEquals(Arrays.asList(100.0, 6.0, 10.0, 5.0, 6.0, 7.0), run(Aggregate.SUM).get("value"));
        assertEquals(Arrays.asList(1.0, 3.0, 1.0, 1.0, 1.0, 1.0), run(Aggregate.COUNT).get("value"), "the null at 61 s is not counted");
        assertEquals(Arrays.asList(100.0, 2.0, 10.0, 5.0, 6.0, 7.0), run(Aggregate.FIRST).get("value"), "first by time, not input order");
        assertEquals(Arrays.asList(100.0, 3.0, 10.0, 5.0, 6.0, 7.0), run(Aggregate.LAST).get("value"), "last by time");
    }

    @Test
    void aBucketWhoseValuesAreAllNullIsNullAndCountsZero() {
        try (Frame in = new Frame("r")) {
            in.addField("ts", FieldType.TIME, false).appendLong(5 * S);
            in.addField("v", FieldType.FLOAT64, true).appendNull();
            try (Frame out = TimeGroup.apply(in, 60 * S, Aggregate.AVG)) {
                assertEquals(Arrays.asList((Object) null), values(out.field(1)));
            }
            try (Frame out = TimeGroup.apply(in, 60 * S, Aggregate.COUNT)) {
                assertEquals(List.of(0.0), values(out.field(1)));
            }
        }
    }

    @Test
    void equalTimesInABucketKeepInputOrderForLast() {
        try (Frame in = new Frame("r")) {
            Field t = in.addField("ts", FieldType.TIME, false);
            Field v = in.addField("v", FieldType.FLOAT64, false);
            for (double x : new double[] {1, 2, 3}) {
                t.appendLong(10 * S);
                v.appendDouble(x);
            }
            try (Frame out = TimeGroup.apply(in, 60 * S, Aggregate.LAST)) {
                assertEquals(List.of(3.0), values(out.field(1)));
            }
            try (Frame out = TimeGroup.apply(in, 60 * S, Aggregate.FIRST)) {
                assertEquals(List.of(1.0), values(out.field(1)));
            }
        }
    }

    @Test
    void noTimeFieldOrABadStepIsRefused() {
        try (Frame in = new Frame("r")) {
            in.addField("v", FieldType.FLOAT64, false).appendDouble(1);
            assertThrows(IllegalArgumentException.class, () -> TimeGroup.apply(in, S, Aggregate.AVG));
        }
        try (Frame in = input()) {
            assertThrows(IllegalArgumentException.class, () -> TimeGroup.apply(in, 0, Aggregate.AVG));
        }
    }
}
