package io.opencql.grafana.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameRowsTest {

    private static List<Object> values(Field f) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            out.add(f.getObject(i));
        }
        return out;
    }

    @Test
    void ascendingOrderIsStableAndNullWhenAlreadySorted() {
        try (Frame f = new Frame("x")) {
            Field t = f.addField("t", FieldType.TIME, false);
            for (long v : new long[] {30, 10, 20, 10, 30}) {
                t.appendLong(v);
            }
            assertArrayEquals(new int[] {1, 3, 2, 0, 4}, FrameRows.ascendingByTime(t));
        }
        try (Frame f = new Frame("x")) {
            Field t = f.addField("t", FieldType.TIME, false);
            for (long v : new long[] {1, 1, 2}) {
                t.appendLong(v);
            }
            assertNull(FrameRows.ascendingByTime(t));
        }
    }

    @Test
    void ascendingOrderRefusesNullTimesAndOtherTypes() {
        try (Frame f = new Frame("x")) {
            Field t = f.addField("t", FieldType.TIME, true);
            t.appendLong(1);
            t.appendNull();
            assertEquals("time field 't' is null at row 1",
                    assertThrows(IllegalArgumentException.class, () -> FrameRows.ascendingByTime(t)).getMessage());
            Field v = f.addField("v", FieldType.INT64, false);
            assertThrows(IllegalArgumentException.class, () -> FrameRows.ascendingByTime(v));
        }
    }

    @Test
    void selectCopiesEveryTypeWithNullsLabelsConfigAndMeta() {
        FrameMeta meta = FrameMeta.empty().withChannel("ds/u/tail/x");
        try (Frame src = new Frame("rows", "A", meta)) {
            Field t = src.addField("t", FieldType.TIME, false);
            Field i8 = src.addField("i8", FieldType.INT8, true);
            Field u8 = src.addField("u8", FieldType.UINT8, false);
            Field u32 = src.addField("u32", FieldType.UINT32, false);
            Field u64 = src.addField("u64", FieldType.UINT64, false);
            Field f32 = src.addField("f32", FieldType.FLOAT32, false);
            Field f64 = src.addField("f64", FieldType.FLOAT64, true).setLabels(Map.of("k", "v"))
                    .setConfig(FieldConfig.EMPTY.withUnit("ms"));
            Field b = src.addField("b", FieldType.BOOL, true);
            Field s = src.addField("s", FieldType.STRING, true);
            Field j = src.addField("j", FieldType.JSON, true);
            t.appendLong(1_500_000L);
            i8.appendLong(-3);
            u8.appendLong(255);
            u32.appendLong(4_000_000_000L);
            u64.appendLong(-1L); // 2^64 - 1
            f32.appendDouble(1.5);
            f64.appendDouble(Double.NaN);
            b.appendBool(true);
            s.appendString("é");
            j.appendString("{\"a\":[1]}");
            t.appendLong(2_000_000L);
            i8.appendNull();
            u8.appendLong(0);
            u32.appendLong(0);
            u64.appendLong(0);
            f32.appendDouble(-0.25);
            f64.appendNull();
            b.appendNull();
            s.appendNull();
            j.appendNull();

            try (Frame out = FrameRows.select(src, new int[] {1, 0, 0})) {
                assertEquals("rows", out.name());
                assertEquals("A", out.refId());
                assertSame(meta, out.meta());
                assertEquals(3, out.rowCount());
                for (int k = 0; k < src.fields().size(); k++) {
                    Field a = src.field(k);
                    Field c = out.field(k);
                    assertEquals(a.name(), c.name());
                    assertEquals(a.type(), c.type());
                    assertEquals(a.nullable(), c.nullable());
                    assertEquals(a.labels(), c.labels());
                    assertEquals(a.config(), c.config());
                    assertEquals(Arrays.asList(a.getObject(1), a.getObject(0), a.getObject(0)), values(c), a.name());
                }
                assertEquals(-1L, out.field(4).getLong(1));
                assertEquals(4_000_000_000L, out.field(3).getLong(1));
                // the JSON encoding of the copy equals that of the same rows written from the source
                assertEquals(new String(JsonFrameWriter.write(out, JsonFrameWriter.Include.DATA_ONLY)),
                        "{\"data\":{\"values\":[[2,1,1],[null,-3,-3],[0,255,255],[0,4000000000,4000000000],"
                                + "[0,18446744073709551615,18446744073709551615],[-0.25,1.5,1.5],[null,null,null],[null,true,true],"
                                + "[null,\"é\",\"é\"],[null,{\"a\":[1]},{\"a\":[1]}]],\"entities\":[null,null,null,null,null,null,"
                                + "{\"NaN\":[1,2]},null,null,null],\"nanos\":[[0,500000,500000],null,null,null,null,null,null,null,null,null]}}");
            }
            assertEquals(2, src.rowCount(), "the source is untouched");
        }
    }

    @Test
    void selectingNoRowsKeepsTheSchema() {
        try (Frame src = new Frame("")) {
            src.addField("t", FieldType.TIME, false).appendLong(1);
            src.addField("v", FieldType.FLOAT64, true).appendDouble(2);
            try (Frame out = FrameRows.select(src, new int[0])) {
                assertEquals(0, out.rowCount());
                assertEquals(List.of("t", "v"), out.fields().stream().map(Field::name).toList());
            }
        }
    }
}
