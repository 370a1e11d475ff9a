package io.opencql.cql.internal.query;

import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.Frame;

/**
 * Gives a {@code stream: true} query its Live channel when QueryData answers it (the live package registers the
 * stream so that SubscribeStream and RunStream can find it by the channel's path).
 */
@FunctionalInterface
public interface StreamIssuer {

    /**
     * Registers the stream of {@code model} and returns its channel, {@code ds/<uid>/<path>}.
     *
     * @param initial   the answer's frame, in ascending time: the tail continues after its newest row
     * @param timeField the index of its time field
     * @param range     the request's time range
     * @throws QueryException when this query cannot have a channel (the query's response then says why)
     */
    String issue(PluginContext ctx, QueryModel model, String refId, Frame initial, int timeField, TimeRange range);
}
