package io.opencql.grafana.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A data frame: named, typed columns of equal length, with frame metadata. Holds off-heap Arrow memory:
 * close it when done (responses are closed by the transport after they are encoded).
 *
 * <p>The name, refId and meta are fixed when the frame is made; a frame's fields are added and filled by the one
 * thread that builds it, and the frame is <em>sealed</em> when it leaves its builder ({@link #seal}): from then
 * on adding a field, or appending to or setting a field of it, throws. Every {@code with…} copy is sealed, and the
 * query runner hands the transport only such copies. A frame with another refId, meta or
 * field config is a copy: {@link #withRefId}, {@link #withMeta}, {@link #withFieldConfig}. A copy shares the
 * field vectors (no data is copied) and <em>takes them over</em>, as Arrow's transfer does: the copy owns the
 * memory from then on and the frame it was made from is spent (its {@link #close} does nothing, reading its
 * fields throws). So there is always exactly one owner to close, and {@code f = f.withRefId(id)} neither leaks
 * nor frees twice.
 */
public final class Frame implements AutoCloseable {

    /** One allocator for the process; frames take child allocators so leaks are attributable. */
    private static final BufferAllocator ROOT = new RootAllocator(Long.MAX_VALUE);

    /** The fields and the allocator their vectors live in: what a copy takes over. */
    private static final class Columns {
        final List<Field> fields;
        final BufferAllocator allocator;

        Columns(List<Field> fields, BufferAllocator allocator) {
            this.fields = fields;
            this.allocator = allocator;
        }
    }

    /** What a closed frame holds: no fields, nothing to add them to. */
    private static final Columns CLOSED = new Columns(List.of(), null);

    private final String name;
    private final String refId;
    private final FrameMeta meta;
    /** Null once a copy took the columns over; {@link #CLOSED} once closed. */
    private Columns columns;
    private boolean sealed;

    public Frame(String name) {
        this(name, "", null);
    }

    /** A frame with its refId ("" or null: none) and meta (null: none). */
    public Frame(String name, String refId, FrameMeta meta) {
        this(name, refId, meta, new Columns(new ArrayList<>(), ROOT.newChildAllocator("frame", 0, Long.MAX_VALUE)));
    }

    private Frame(String name, String refId, FrameMeta meta, Columns columns) {
        this.name = name == null ? "" : name;
        this.refId = refId == null ? "" : refId;
        this.meta = meta;
        this.columns = columns;
    }

    public String name() {
        return name;
    }

    public String refId() {
        return refId;
    }

    /** May be null: no metadata. */
    public FrameMeta meta() {
        return meta;
    }

    /** This frame's columns with the refId {@code refId}; this frame is spent (see the class comment). */
    public Frame withRefId(String refId) {
        return new Frame(name, refId, meta, takeColumns()).seal();
    }

    /** This frame's columns with the meta {@code meta}; this frame is spent (see the class comment). */
    public Frame withMeta(FrameMeta meta) {
        return new Frame(name, refId, meta, takeColumns()).seal();
    }

    /**
     * This frame's columns, each field with the config {@code config} gives it (from the field as it is); the
     * values are shared, not copied. This frame is spent (see the class comment).
     */
    public Frame withFieldConfig(Function<Field, FieldConfig> config) {
        Columns taken = takeColumns();
        List<Field> fields = new ArrayList<>(taken.fields.size());
        for (Field f : taken.fields) {
            fields.add(f.withConfig(config.apply(f)));
        }
        return new Frame(name, refId, meta, new Columns(fields, taken.allocator)).seal();
    }

    /**
     * Ends building: no field can be added, and the fields' values are fixed (appending or setting throws an
     * IllegalStateException that says so). Builders that hand a frame on without a {@code with…} copy call it;
     * sealing twice is harmless. Returns this frame.
     */
    public Frame seal() {
        sealed = true;
        for (Field f : taken().fields) {
            f.seal();
        }
        return this;
    }

    /** Whether the frame has left its builder (see {@link #seal}). */
    public boolean isSealed() {
        return sealed;
    }

    private Columns taken() {
        Columns c = columns;
        if (c == null) {
            throw new IllegalStateException("frame '" + name + "' was handed to a copy (withRefId, withMeta, withFieldConfig)");
        }
        return c;
    }

    /** The columns for a copy, their fields sealed (a field kept from the builder cannot change the copy either). */
    private Columns takeColumns() {
        Columns c = taken();
        columns = null;
        for (Field f : c.fields) {
            f.seal();
        }
        return c;
    }

    public List<Field> fields() {
        return Collections.unmodifiableList(taken().fields);
    }

    public Field field(int i) {
        return taken().fields.get(i);
    }

    /** Adds a new empty field and returns it for appending (while the frame is being built). */
    public Field addField(String name, FieldType type, boolean nullable) {
        return addField(name, type, nullable, 0);
    }

    /**
     * Adds a new empty field sized for {@code expectedRows} values (a hint: it grows past it). Use it when the
     * row count is known, e.g. a page size or a conversion's output, to skip regrowth and over-allocation.
     */
    public Field addField(String name, FieldType type, boolean nullable, int expectedRows) {
        Columns c = taken();
        if (c.allocator == null) {
            throw new IllegalStateException("frame '" + this.name + "' is closed");
        }
        if (sealed) {
            throw new IllegalStateException("frame '" + this.name + "' was handed on (sealed): frames are values once"
                    + " built; build a new frame instead of adding field '" + name + "'");
        }
        Field f = new Field(name, type, nullable, c.allocator, expectedRows);
        c.fields.add(f);
        return f;
    }

    /** Rows in the frame; throws when the fields differ in length (Grafana rejects such frames). */
    public int rowCount() {
        List<Field> fields = taken().fields;
        if (fields.isEmpty()) {
            return 0;
        }
        int n = fields.get(0).size();
        for (Field f : fields) {
            if (f.size() != n) {
                throw new IllegalStateException("frame '" + name + "': field '" + f.name() + "' has " + f.size()
                        + " rows, field '" + fields.get(0).name() + "' has " + n);
            }
        }
        return n;
    }

    /** Off-heap bytes held by this frame's vectors (0 once closed or spent). */
    public long allocatedBytes() {
        Columns c = columns;
        return c == null || c.allocator == null ? 0 : c.allocator.getAllocatedMemory();
    }

    /** Bytes held by every frame still open in the process (a leak check for tests and metrics). */
    public static long totalAllocatedBytes() {
        return ROOT.getAllocatedMemory();
    }

    /** Frees the vectors; does nothing on a frame already closed or spent by a copy. */
    @Override
    public void close() {
        Columns c = columns;
        if (c == null || c.allocator == null) {
            return;
        }
        columns = CLOSED;
        for (Field f : c.fields) {
            f.close();
        }
        c.allocator.close();
    }
}
