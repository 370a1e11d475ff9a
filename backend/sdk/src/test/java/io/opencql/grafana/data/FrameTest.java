package io.opencql.grafana.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A built frame is not changed: a copy with another refId, meta or field config takes its columns over. */
class FrameTest {

    private static Frame twoRows() {
        Frame f = new Frame("m", "A", FrameMeta.empty().withExecutedQueryString("SELECT 1"));
        Field t = f.addField("time", FieldType.TIME, false);
        Field v = f.addField("value", FieldType.FLOAT64, true);
        v.setLabels(Map.of("host", "a"));
        t.appendLong(1);
        t.appendLong(2);
        v.appendDouble(1.5);
        v.appendNull();
        return f;
    }

    @Test
    void aCopyTakesTheColumnsOverWithoutCopyingThemAndTheOriginalIsSpent() {
        long before = Frame.totalAllocatedBytes();
        Frame original = twoRows();
        long held = original.allocatedBytes();
        assertTrue(held > 0, "the frame holds its vectors: " + held);
        Object vector = original.field(1).vector();

        Frame copy = original.withRefId("B");
        assertEquals("B", copy.refId());
        assertEquals("A", original.refId(), "the original's refId is as it was");
        assertEquals("m", copy.name());
        assertEquals(original.meta(), copy.meta());
        assertSame(vector, copy.field(1).vector(), "the values are shared, not copied");
        assertEquals(held, copy.allocatedBytes());
        assertEquals(before + held, Frame.totalAllocatedBytes(), "no second copy of the data");
        assertEquals(0, original.allocatedBytes(), "the original no longer owns the memory");

        IllegalStateException spent = assertThrows(IllegalStateException.class, original::fields);
        assertTrue(spent.getMessage().contains("handed to a copy"), spent.getMessage());
        assertThrows(IllegalStateException.class, () -> original.addField("x", FieldType.INT32, false));
        original.close(); // nothing: the copy owns the vectors
        assertEquals(2, copy.rowCount(), "closing the spent original did not free the copy's vectors");
        assertEquals(1.5, copy.field(1).getDouble(0));
        assertTrue(copy.field(1).isNull(1));

        copy.close();
        copy.close(); // a second close frees nothing twice
        assertEquals(before, Frame.totalAllocatedBytes(), "the one owner freed the memory once");
        assertEquals(List.of(), copy.fields(), "a closed frame has no fields");
    }

    @Test
    void withMetaAndWithFieldConfigKeepEverythingElse() {
        long before = Frame.totalAllocatedBytes();
        FrameMeta other = FrameMeta.empty().withPreferredVisualisation("table");
        try (Frame f = twoRows().withMeta(other)
                .withFieldConfig(x -> x.type() == FieldType.TIME ? x.config() : FieldConfig.EMPTY.withUnit("ms"))) {
            assertSame(other, f.meta());
            assertEquals("A", f.refId());
            assertNull(f.field(0).config());
            assertEquals(FieldConfig.EMPTY.withUnit("ms"), f.field(1).config());
            assertEquals(Map.of("host", "a"), f.field(1).labels(), "labels are kept");
            assertEquals(List.of("time", "value"), f.fields().stream().map(Field::name).toList());
            assertEquals(2, f.rowCount());
            assertArrayEquals(new long[] {1, 2}, new long[] {f.field(0).getLong(0), f.field(0).getLong(1)});
        }
        assertEquals(before, Frame.totalAllocatedBytes(), "nothing left behind by the chain of copies");
    }

    @Test
    void theArrowBytesOfACopyAreThoseOfTheFrameBuiltWithItsRefId() {
        byte[] built;
        try (Frame f = twoRows()) {
            built = ArrowFrameWriter.write(f);
        }
        Frame other = twoRows();
        Frame b = other.withRefId("Z");
        try (Frame a = b.withRefId("A")) {
            assertArrayEquals(built, ArrowFrameWriter.write(a));
        }
    }
    @Test
    void buildingStillWorksUntilTheFrameIsSealed() {
        try (Frame f = twoRows()) {
            assertFalse(f.isSealed(), "a frame being built is open");
            f.field(0).appendLong(3);
            f.field(1).appendDouble(2.5);
            f.addField("extra", FieldType.INT32, true).appendNull();
            assertEquals(3, f.field(0).size());
        }
    }

    @Test
    void aSealedFrameRefusesNewFieldsAppendsAndSetsAndSaysWhy() {
        try (Frame f = twoRows().seal()) {
            assertTrue(f.isSealed());
            Field t = f.field(0);
            Field v = f.field(1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.appendLong(3));
            assertTrue(e.getMessage().contains("frames are values once built"), e.getMessage());
            assertTrue(e.getMessage().contains("'time'"), "names the field: " + e.getMessage());
            assertThrows(IllegalStateException.class, v::appendNull);
            assertThrows(IllegalStateException.class, () -> v.appendDouble(1));
            assertThrows(IllegalStateException.class, () -> v.appendLong(1));
            assertThrows(IllegalStateException.class, () -> v.setLabels(Map.of("host", "b")));
            assertThrows(IllegalStateException.class, () -> v.setConfig(null));
            IllegalStateException add = assertThrows(IllegalStateException.class,
                    () -> f.addField("x", FieldType.STRING, true));
            assertTrue(add.getMessage().contains("'m'") && add.getMessage().contains("'x'"), add.getMessage());
            assertEquals(2, f.rowCount(), "a refused append changed nothing");
            assertEquals(Map.of("host", "a"), v.labels());
            assertSame(f, f.seal(), "sealing twice is harmless");
        }
    }

    @Test
    void everyCopyIsSealedAndSoAreTheFieldsTheBuilderStillHolds() {
        Frame built = twoRows();
        Field heldByBuilder = built.field(1);
        try (Frame copy = built.withRefId("B")) {
            assertTrue(copy.isSealed(), "the withRefId copy (what the query runner hands on) is sealed");
            assertThrows(IllegalStateException.class, () -> copy.field(0).appendLong(3));
            assertThrows(IllegalStateException.class, () -> heldByBuilder.appendDouble(9),
                    "a field kept from building cannot change the copy's values");
            assertEquals(2, copy.field(1).size());
        }
        Frame configured = twoRows();
        Field old = configured.field(1);
        try (Frame copy = configured.withFieldConfig(f -> FieldConfig.EMPTY.withUnit("s"))) {
            assertTrue(copy.isSealed());
            assertThrows(IllegalStateException.class, () -> old.appendNull(),
                    "the field the config copy replaced shares its vector: sealed as well");
            assertThrows(IllegalStateException.class, () -> copy.field(1).appendNull());
        }
        try (Frame copy = twoRows().withMeta(FrameMeta.empty())) {
            assertTrue(copy.isSealed());
            assertThrows(IllegalStateException.class, () -> copy.field(0).appendLong(3));
        }
    }
}
