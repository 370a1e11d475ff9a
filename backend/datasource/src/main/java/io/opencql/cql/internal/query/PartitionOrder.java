package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which the node returns the partitions an {@code IN} on the partition key names, so that statements
 * read one partition each can be merged into exactly the single statement's rows.
 *
 * <p>Found on Apache Cassandra 5.0.9 (see docs/reference.md, "Partition reads"): {@code p IN (3,1,2,-5,100,7,-1,3,1)}
 * returns partitions -5, -1, 1, 2, 3, 7, 100: <em>sorted by the key type's comparator, duplicates once</em>, neither
 * in the IN list's order nor in token order (a full scan of the same table gives 1, 2, 7, 100, -5, -1, 3). Text keys
 * come in UTF-8 byte order ({@code A a aa b c zz é}), timestamps by signed epoch milliseconds (1960 before
 * {@code -1000} before {@code 0} before 2024), and a value written twice (or as two literals of one instant) once.
 *
 * <p>Only types whose comparator this class reproduces exactly are ordered; any other key type gives null (the query
 * then runs as one statement): int, bigint, smallint, tinyint, varint (signed numeric order), text, varchar, ascii
 * (unsigned UTF-8 bytes), timestamp (signed milliseconds), date (chronological), time.
 */
final class PartitionOrder {

    /** One partition: its literal as the query wrote it (first occurrence) and its value serialized, for routing. */
    record Key(String literal, ByteBuffer routingKey) {
    }

    private record Parsed(String literal, Object value) {
    }

    private static final Comparator<Object> NUMERIC = (a, b) -> new java.math.BigDecimal(a.toString())
            .compareTo(new java.math.BigDecimal(b.toString()));
    private static final Comparator<Object> UTF8 = (a, b) -> Arrays.compareUnsigned(
            ((String) a).getBytes(StandardCharsets.UTF_8), ((String) b).getBytes(StandardCharsets.UTF_8));
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Comparator<Object> NATURAL = (a, b) -> ((Comparable) a).compareTo(b);

    private static final Map<DataType, Comparator<Object>> ORDER = Map.ofEntries(
            Map.entry(DataTypes.INT, NUMERIC), Map.entry(DataTypes.BIGINT, NUMERIC), Map.entry(DataTypes.SMALLINT, NUMERIC),
            Map.entry(DataTypes.TINYINT, NUMERIC), Map.entry(DataTypes.VARINT, NUMERIC),
            Map.entry(DataTypes.TEXT, UTF8), Map.entry(DataTypes.ASCII, UTF8),
            Map.entry(DataTypes.TIMESTAMP, NATURAL), Map.entry(DataTypes.DATE, NATURAL), Map.entry(DataTypes.TIME, NATURAL));

    // a timestamp literal without a zone is read by the node in the node's zone, which the plugin does not know: two
    // readings in zones 26 hours apart that agree prove the literal names one instant wherever it is read
    private static final TypeCodec<java.time.ZonedDateTime> WEST = TypeCodecs.zonedTimestampAt(ZoneOffset.ofHours(-12));
    private static final TypeCodec<java.time.ZonedDateTime> EAST = TypeCodecs.zonedTimestampAt(ZoneOffset.ofHours(14));

    private PartitionOrder() {
    }

    /**
     * The partitions {@code literals} (CQL literals of key type {@code type}) name, in the node's order, each once;
     * null when the type's order is not one this class knows or a literal cannot be read exactly.
     */
    static List<Key> of(DataType type, List<String> literals, ProtocolVersion protocol) {
        Comparator<Object> order = ORDER.get(type);
        if (order == null) {
            return null;
        }
        TypeCodec<Object> codec = codec(type);
        List<Parsed> parsed = new ArrayList<>();
        for (String literal : literals) {
            Object v;
            try {
                v = type.equals(DataTypes.TIMESTAMP) ? instant(literal) : codec.parse(literal);
            } catch (RuntimeException e) {
                return null; // the node will say what is wrong with it
            }
            if (v == null) {
                return null;
            }
            parsed.add(new Parsed(literal, v));
        }
        // stable: of equal values the first literal stays, as the node keeps one partition for them
        parsed.sort((a, b) -> order.compare(a.value(), b.value()));
        List<Key> out = new ArrayList<>();
        Object previous = null;
        for (Parsed p : parsed) {
            if (previous != null && order.compare(previous, p.value()) == 0) {
                continue;
            }
            previous = p.value();
            out.add(new Key(p.literal(), codec.encode(p.value(), protocol)));
        }
        return out;
    }

    /**
     * A literal's value serialized as the node stores it, for a routing key; null when the driver cannot read it
     * (then the statement goes without one: any node answers it, just not the replica first).
     */
    static ByteBuffer serialized(DataType type, String literal, ProtocolVersion protocol) {
        try {
            TypeCodec<Object> codec = codec(type);
            Object v = type.equals(DataTypes.TIMESTAMP) ? instant(literal) : codec.parse(literal);
            return v == null ? null : codec.encode(v, protocol);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static TypeCodec<Object> codec(DataType type) {
        return (TypeCodec<Object>) (TypeCodec<?>) com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry.DEFAULT.codecFor(type);
    }

    private static java.time.Instant instant(String literal) {
        java.time.ZonedDateTime w = WEST.parse(literal);
        java.time.ZonedDateTime e = EAST.parse(literal);
        if (w == null || e == null || !w.toInstant().equals(e.toInstant())) {
            throw new IllegalArgumentException("a timestamp without a zone: its instant depends on the node's zone");
        }
        return w.toInstant();
    }
}
