package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.type.DataType;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.Notice;
import io.opencql.grafana.query.QueryCall;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time grouping on the node: for a {@code time_series} query with {@code timeGroup}, when the node can
 * ({@link TimeGroupCapability}) and the query fits ({@link TimeGroupPlanner}), the statement sent is the grouped one
 * and the node's rows become the same grouped frame the plugin would have made ({@link NodeTimeGroups}). Whenever it
 * does not fit, {@link #plan} is null and the plugin groups the raw rows as before; whenever the node's answer cannot
 * be made identical (partial sums of one series in several partitions) or the node refuses the statement,
 * {@link #run} is null and the caller runs the original statement and groups in the plugin.
 */
final class TimeGroupOnNode {

    private static final Logger LOG = LoggerFactory.getLogger(TimeGroupOnNode.class);

    private TimeGroupOnNode() {
    }

    /** The grouped statement to send, or null to group in the plugin (the reason is logged at debug). */
    static TimeGroupPlanner.Pushdown plan(CqlSession session, QueryModel model, String cql, long intervalMs, Duration timeout) {
        if (model.timeGroup() == null || model.format() != QueryModel.Format.TIME_SERIES) {
            return null;
        }
        if (!model.timeGroupOnNode()) {
            LOG.debug("timeGroup in the plugin: query option timeGroupOnNode is false");
            return null;
        }
        if (!TimeGroupCapability.groupsByTime(session, timeout)) {
            LOG.debug("timeGroup in the plugin: the nodes cannot group by time ranges (Cassandra 5.0+ can)");
            return null;
        }
        SimpleSelect select = SimpleSelect.parse(cql);
        TimeGroupPlanner.TableShape table = select == null ? null : table(session, select);
        TimeGroupPlanner.Decision d = TimeGroupPlanner.plan(select, table, model.timeColumn(), model.aggregate(),
                model.timeGroup().nanos(intervalMs) / 1_000_000L);
        if (d instanceof TimeGroupPlanner.Fallback f) {
            LOG.debug("timeGroup in the plugin: {}", f.reason());
            return null;
        }
        return (TimeGroupPlanner.Pushdown) d;
    }

    /**
     * Runs the grouped statement and shapes its answer as {@link ResultShapes#timeSeries} shapes the plugin's grouping;
     * null when the caller must group in the plugin instead (logged).
     */
    static Frame run(CqlSession session, SimpleStatement statement, TimeGroupPlanner.Pushdown plan, QueryModel model,
                     CqlSettings settings, long limit, ResponseBudget budget, Duration timeout, QueryCall call) {
        RequestContext rc = call.cancellation();
        ResultReader.Result r;
        try {
            r = ResultReader.read(session, statement.setPageSize(groupsPerPage(statement.getPageSize(), plan.stepMs())),
                    ResultReader.Plan::all, limit, budget.bytes(), timeout, rc, "");
        } catch (InvalidQueryException | SyntaxError | ReadFailureException e) {
            // a statement this planner should not have written, or a node that lied about its version: the
            // original statement still answers, and its error (if any) is the user's to see
            LOG.warn("the node refused the grouped statement, grouping in the plugin: {} ({})", e.getMessage(), plan.cql());
            return null;
        } catch (ReadTimeoutException e) {
            // the node reads every row of a page's groups within one read timeout; the plugin's raw pages are smaller
            LOG.warn("the node timed out grouping, grouping in the plugin: {} ({})", e.getMessage(), plan.cql());
            return null;
        }
        Frame grouped;
        try {
            grouped = NodeTimeGroups.assemble(r.frame(), plan);
        } finally {
            r.frame().close();
        }
        if (grouped == null) {
            LOG.debug("timeGroup in the plugin: sums of one series in several partitions cannot be merged exactly");
            return null;
        }
        FrameMeta meta = FrameMeta.empty().withExecutedQueryString(plan.cql());
        for (Notice n : CqlQueries.notices(r, model, settings, limit, budget, call)) {
            meta = meta.withNotice(n);
        }
        return ResultShapes.wideTimeSeries(grouped, r.rows() == 0, model, meta);
    }

    /**
     * Groups per page of the grouped statement. Cassandra 5.0 reads all the rows of a page's groups (in sub-pages)
     * within one read timeout counted from the request, so a page of 5,000 one-minute groups of 1-second data is
     * 300,000 rows against that clock. Assuming at most one row per second per series, this keeps a page near the
     * rows of a raw page ({@code pageSize}); at least 100 groups, so that sparse data does not take a round trip per
     * point.
     */
    static int groupsPerPage(int pageSize, long stepMs) {
        long perSecond = Math.max(1, stepMs / 1000);
        return (int) Math.max(Math.min(pageSize, 100), Math.min(pageSize, pageSize / perSecond));
    }

    private static TimeGroupPlanner.TableShape table(CqlSession session, SimpleSelect select) {
        Optional<CqlIdentifier> ks = select.keyspace() != null ? Optional.of(CqlIdentifier.fromInternal(select.keyspace()))
                : session.getKeyspace();
        Optional<TableMetadata> t = ks.flatMap(k -> session.getMetadata().getKeyspace(k))
                .flatMap(k -> k.getTable(CqlIdentifier.fromInternal(select.tableName())));
        if (t.isEmpty()) {
            return null;
        }
        Map<String, DataType> types = new HashMap<>();
        t.get().getColumns().forEach((id, c) -> types.put(id.asInternal(), c.getType()));
        List<String> pk = t.get().getPartitionKey().stream().map(c -> c.getName().asInternal()).toList();
        List<String> cc = t.get().getClusteringColumns().keySet().stream().map(ColumnMetadata::getName)
                .map(CqlIdentifier::asInternal).toList();
        return new TimeGroupPlanner.TableShape(pk, cc, types);
    }
}
