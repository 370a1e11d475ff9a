package io.opencql.grafana.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A data frame: named, typed columns of equal length, with frame metadata. Holds off-heap Arrow memory:
 * close it when done (responses are closed by the transport after they are encoded).
 */
public final class Frame implements AutoCloseable {

    /** One allocator for the process; frames take child allocators so leaks are attributable. */
    private static final BufferAllocator ROOT = new RootAllocator(Long.MAX_VALUE);

    private final String name;
    private String refId = "";
    private FrameMeta meta;
    private final List<Field> fields = new ArrayList<>();
    private final BufferAllocator allocator;

    public Frame(String name) {
        this.name = name == null ? "" : name;
        this.allocator = ROOT.newChildAllocator("frame", 0, Long.MAX_VALUE);
    }

    public String name() {
        return name;
    }

    public String refId() {
        return refId;
    }

    public Frame setRefId(String refId) {
        this.refId = refId == null ? "" : refId;
        return this;
    }

    /** May be null: no metadata. */
    public FrameMeta meta() {
        return meta;
    }

    public Frame setMeta(FrameMeta meta) {
        this.meta = meta;
        return this;
    }

    public List<Field> fields() {
        return Collections.unmodifiableList(fields);
    }

    public Field field(int i) {
        return fields.get(i);
    }

    /** Adds a new empty field and returns it for appending. */
    public Field addField(String name, FieldType type, boolean nullable) {
        return addField(name, type, nullable, 0);
    }

    /**
     * Adds a new empty field sized for {@code expectedRows} values (a hint: it grows past it). Use it when the
     * row count is known, e.g. a page size or a conversion's output, to skip regrowth and over-allocation.
     */
    public Field addField(String name, FieldType type, boolean nullable, int expectedRows) {
        Field f = new Field(name, type, nullable, allocator, expectedRows);
        fields.add(f);
        return f;
    }

    /** Removes a field (closing it) from the frame. */
    public void removeField(Field f) {
        if (fields.remove(f)) {
            f.close();
        }
    }

    /** Rows in the frame; throws when the fields differ in length (Grafana rejects such frames). */
    public int rowCount() {
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

    /** Off-heap bytes held by this frame's vectors. */
    public long allocatedBytes() {
        return allocator.getAllocatedMemory();
    }

    /** Bytes held by every frame still open in the process (a leak check for tests and metrics). */
    public static long totalAllocatedBytes() {
        return ROOT.getAllocatedMemory();
    }

    @Override
    public void close() {
        for (Field f : fields) {
            f.close();
        }
        fields.clear();
        allocator.close();
    }
}
