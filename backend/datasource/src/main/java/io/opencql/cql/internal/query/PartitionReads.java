package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import io.opencql.cql.internal.kernel.CqlSettings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses how a query's rows are read: as one statement (the usual case), or, when its WHERE names several
 * partitions with an {@code IN} on the partition key (written so, or expanded from {@code $__timeBuckets}) and
 * setting {@code partitionReads} allows more than one, as one statement per partition read concurrently
 * ({@link PartitionPages}) and merged in the order the node would return them ({@link PartitionOrder}), each routed
 * to its partition's replicas. Splits only where the answer is provably the same: the shape of {@link InSplit}, the
 * IN on the whole partition key (other key columns restricted by {@code =}), literals of a key type whose order is
 * known, and at least two distinct partitions. Anything else reads as one statement, exactly as before.
 */
final class PartitionReads {

    private PartitionReads() {
    }

    /**
     * The pages of {@code cql}: {@code single} (built by {@link CqlQueries#statement}) when it is not split, else
     * the partitions' statements, built the same way.
     */
    static ResultReader.PageSource pages(CqlSession session, CqlSettings settings, String cql, SimpleStatement single, long limit,
                                         Duration timeout) {
        if (settings.partitionReads() > 1) {
            Split split = split(session, cql);
            if (split != null) {
                return new PartitionPages(session, statements(settings, cql, split, limit, timeout), settings.partitionReads(), split.limit());
            }
        }
        return new ResultReader.OneStatement(session, single);
    }

    /** One statement per partition of {@code split}, in the node's order, each built as the single one is. */
    static List<SimpleStatement> statements(CqlSettings settings, String cql, Split split, long limit, Duration timeout) {
        List<SimpleStatement> statements = new ArrayList<>(split.keys().size());
        for (PartitionOrder.Key key : split.keys()) {
            SimpleStatement s = CqlQueries.statement(settings, InSplit.withEquality(cql, split.in(), key.literal()), limit, timeout)
                    .setRoutingKeyspace(split.keyspace());
            if (split.keyParts() == null) {
                statements.add(s);
            } else if (split.keyParts().size() == 1) {
                statements.add(s.setRoutingKey(key.routingKey()));
            } else {
                ByteBuffer[] parts = split.keyParts().toArray(ByteBuffer[]::new);
                parts[split.inPosition()] = key.routingKey();
                statements.add(s.setRoutingKey(parts)); // the driver composes a composite key's parts
            }
        }
        return statements;
    }

    /**
     * How to split: the IN relation, the partitions in the node's order, the keyspace, the routing key's parts (one
     * per partition key column, the {@code =} columns' values serialized, the IN column's slot {@code inPosition}
     * filled per partition; null when one of them could not be read: no routing key) and the statement's LIMIT
     * (-1: none).
     */
    record Split(InSplit.Relation in, List<PartitionOrder.Key> keys, CqlIdentifier keyspace, List<ByteBuffer> keyParts, int inPosition,
                 long limit) {
    }

    /** Null when {@code cql} is not to be split (see the class comment). */
    static Split split(CqlSession session, String cql) {
        if (!mayNameSeveral(cql)) {
            return null; // most queries: no IN at all, not even parsed
        }
        InSplit parsed = InSplit.parse(cql);
        if (parsed == null) {
            return null;
        }
        Optional<CqlIdentifier> ks = parsed.keyspace() != null ? Optional.of(CqlIdentifier.fromInternal(parsed.keyspace()))
                : session.getKeyspace();
        if (ks.isEmpty()) {
            return null;
        }
        Optional<TableMetadata> table = session.getMetadata().getKeyspace(ks.get())
                .flatMap(k -> k.getTable(CqlIdentifier.fromInternal(parsed.table())));
        if (table.isEmpty()) {
            return null; // a view, or a table the metadata does not know (yet): the node's answer stands
        }
        List<ColumnMetadata> key = table.get().getPartitionKey();
        ProtocolVersion protocol = session.getContext().getProtocolVersion();
        InSplit.Relation in = null;
        int inPosition = -1;
        List<ByteBuffer> keyParts = new ArrayList<>();
        for (ColumnMetadata column : key) {
            InSplit.Relation only = null;
            for (InSplit.Relation r : parsed.relations()) {
                if (r.column().equals(column.getName().asInternal())) {
                    if (only != null) {
                        return null; // two relations on one key column
                    }
                    only = r;
                }
            }
            if (only == null) {
                return null;
            }
            if (only.operator().equals("IN")) {
                if (in != null) {
                    return null; // IN on two key columns: a cross product, left to the node
                }
                in = only;
                inPosition = keyParts.size();
                keyParts.add(ByteBuffer.allocate(0)); // each partition's value goes here
            } else if (!only.operator().equals("=")) {
                return null;
            } else {
                keyParts.add(PartitionOrder.serialized(column.getType(), only.values().get(0), protocol));
            }
        }
        if (in == null) {
            return null;
        }
        ColumnMetadata inColumn = table.get().getColumn(CqlIdentifier.fromInternal(in.column())).orElseThrow();
        List<PartitionOrder.Key> keys = PartitionOrder.of(inColumn.getType(), in.values(), protocol);
        if (keys == null || keys.size() < 2) {
            return null;
        }
        return new Split(in, keys, ks.get(), keyParts.contains(null) ? null : keyParts, inPosition, parsed.limit());
    }

    /** A cheap test that {@code cql} may hold an IN (a word IN outside literals is not looked for: a false yes only costs a parse). */
    private static boolean mayNameSeveral(String cql) {
        int n = cql.length();
        for (int i = 0; i + 1 < n; i++) {
            char a = cql.charAt(i);
            if ((a == 'I' || a == 'i') && (cql.charAt(i + 1) == 'N' || cql.charAt(i + 1) == 'n')
                    && (i == 0 || !CqlLexer.isIdentifierChar(cql.charAt(i - 1)))
                    && (i + 2 >= n || !CqlLexer.isIdentifierChar(cql.charAt(i + 2)))) {
                return true;
            }
        }
        return false;
    }
}
