package io.opencql.cql.internal.query;

import io.opencql.grafana.data.Frame;

/**
 * One read of a stream query (README "Streaming"): its rows in the stream layout, in the order the node returned
 * them, with meta (executed CQL, notices, shape) and refId set. The caller owns {@code frame}.
 *
 * @param frame        the rows; field {@code timeField} is the (non-null) time the stream follows
 * @param timeField    the index of the time field in {@code frame}
 * @param limitReached the row limit cut the read short: rows were left unread
 */
public record StreamRows(Frame frame, int timeField, boolean limitReached) implements AutoCloseable {

    @Override
    public void close() {
        frame.close();
    }
}
