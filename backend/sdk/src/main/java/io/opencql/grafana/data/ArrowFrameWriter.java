package io.opencql.grafana.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Encodes a frame as one Arrow IPC <em>file</em> (magic, schema, record batch, footer), the format Grafana's
 * {@code data.UnmarshalArrowFrame} reads. Frame name, refId and meta go in the <em>schema</em> metadata and
 * per-field {@code tstype}, {@code labels} and {@code config} in the field metadata; the footer carries none.
 */
public final class ArrowFrameWriter {

    static final ObjectMapper JSON = new ObjectMapper();

    private ArrowFrameWriter() {
    }

    public static byte[] write(Frame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimateSize(frame));
        writeTo(frame, out);
        return out.toByteArray();
    }

    /** Writes the frame's Arrow file to {@code out} (lets the transport hand the bytes on without a copy). */
    public static void writeTo(Frame frame, java.io.OutputStream out) {
        int rows = frame.rowCount();
        List<org.apache.arrow.vector.types.pojo.Field> schemaFields = new ArrayList<>(frame.fields().size());
        List<FieldVector> vectors = new ArrayList<>(frame.fields().size());
        for (Field f : frame.fields()) {
            FieldVector v = f.vector();
            schemaFields.add(new org.apache.arrow.vector.types.pojo.Field(f.name(),
                    new org.apache.arrow.vector.types.pojo.FieldType(f.nullable(), f.type().arrowType(), null, fieldMetadata(f)),
                    null));
            vectors.add(v);
        }
        Schema schema = new Schema(schemaFields, frameMetadata(frame));
        // the root only borrows the frame's vectors; the frame stays their owner
        VectorSchemaRoot root = new VectorSchemaRoot(schema, vectors, rows);
        try (ArrowFileWriter writer = new ArrowFileWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            if (!schemaFields.isEmpty() && rows > 0) {
                writer.writeBatch();
            }
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A starting buffer size for a frame's encoding, from its data: the bytes of its values (with validity and
     * offsets) and the 8-byte padding of each buffer, written twice for the schema (message and footer) plus
     * room for the metadata. Not the vectors' allocated memory: a 100-row frame sized for a 5000-row page
     * allocates many times its data, and that buffer was 41% of the plugin's heap allocation under a dashboard
     * load (docs/performance.md). A frame with long metadata may still grow the buffer once.
     */
    public static int estimateSize(Frame frame) {
        long bytes = 1024L;
        for (Field f : frame.fields()) {
            bytes += f.vector().getBufferSize() + 3 * 8 + 2 * (256L + f.name().length());
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
    }

    static Map<String, String> frameMetadata(Frame frame) {
        Map<String, String> m = new HashMap<>();
        m.put("name", frame.name());
        m.put("refId", frame.refId());
        if (frame.meta() != null) {
            m.put("meta", toJson(frame.meta()));
        }
        return m;
    }

    static Map<String, String> fieldMetadata(Field f) {
        Map<String, String> m = new HashMap<>();
        m.put("tstype", f.type().simpleType());
        if (!f.labels().isEmpty()) {
            m.put("labels", toJson(f.labels()));
        }
        if (f.config() != null) {
            m.put("config", toJson(f.config()));
        }
        return m;
    }

    static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode frame metadata: " + e.getOriginalMessage(), e);
        }
    }
}
