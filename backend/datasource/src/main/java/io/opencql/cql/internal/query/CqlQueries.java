package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.opencql.cql.internal.failure.Failure;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.FrameRows;
import io.opencql.grafana.data.Notice;
import io.opencql.grafana.query.QueryCall;
import io.opencql.grafana.query.QueryDriver;
import io.opencql.grafana.query.QueryFailure;
import io.opencql.grafana.query.RowLimitReached;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The CQL data source's {@link QueryDriver}: runs one query of a QueryData request (parse the model, expand macros,
 * guard read-only, execute with paging, read rows into typed columns, shape) and describes its failures with the
 * one classifier, {@link Failure}. The SDK's {@link io.opencql.grafana.query.QueryRunner} does the rest (self-test,
 * parallel queries, cancellation, refIds, error responses that show the executed CQL, which this driver reports as
 * soon as the macros are expanded). Stateless and thread-safe.
 *
 * <p>A {@code stream: true} query (with a {@link StreamIssuer}) is answered in the stream layout with its Live
 * channel in {@code meta.channel}; the live tail reads it again per poll through {@link #readStream}, so both share
 * one plan, reader and field schema.
 */
public final class CqlQueries implements QueryDriver<CqlInstance> {

    private final StreamIssuer streams;
    private final ResponseBudget budget;

    /** A driver that answers {@code stream: true} queries as plain queries (no Live channel). */
    public CqlQueries() {
        this(null);
    }

    /** A driver with the default byte budget per answer. */
    public CqlQueries(StreamIssuer streams) {
        this(streams, ResponseBudget.DEFAULT);
    }

    /**
     * @param streams gives {@code stream: true} queries their Live channel; their answer is then the stream layout
     *                ({@link ResultShapes}), which the channel's packets append to. Null: answered as plain queries.
     * @param budget  the byte budget of each answer: rows past it are left out with a notice
     */
    public CqlQueries(StreamIssuer streams, ResponseBudget budget) {
        this.streams = streams;
        this.budget = budget;
    }

    /**
     * When Grafana Alerting asks ({@link QueryCall#fromAlert}), nobody will subscribe, so a {@code stream: true} query
     * is answered as a plain query in its own format (a wide time series an alert rule can evaluate) and no channel is
     * issued.
     */
    @Override
    public List<Frame> run(CqlInstance instance, DataQuery query, QueryCall call) throws Exception {
        QueryModel model = QueryModel.parse(query);
        CqlSettings settings = instance.settings();
        Duration timeout = settings.queryTimeout();
        String cql = Macros.expand(model.cql(), query.timeRange(), query.intervalMs());
        call.executing(cql);
        if (ReadOnlyGuard.refusesUnknownStatement(cql, settings.readOnly())) {
            SyntaxCheck.failIfUnparsable(instance, cql);
        }
        ReadOnlyGuard.check(cql, settings.readOnly());
        long limit = rowLimit(model, settings);
        CqlSession session = session(instance, settings);
        RequestContext rc = call.cancellation();
        try {
            if (rc.isCancelled()) {
                throw new CancellationException("query cancelled");
            }
            if (model.stream() && streams != null && !call.fromAlert()) {
                return List.of(streamAnswer(session, settings, model, query, call, cql, limit, timeout));
            }
            TimeGroupPlanner.Pushdown onNode = TimeGroupOnNode.plan(session, model, cql, query.intervalMs(), timeout);
            if (onNode != null) {
                call.executing(onNode.cql()); // what the inspector shows is what was sent, failures included
                Frame grouped = TimeGroupOnNode.run(session, statement(settings, onNode.cql(), limit, timeout), onNode, model,
                        settings, limit, budget, timeout, call);
                if (grouped != null) {
                    return List.of(grouped);
                }
                call.executing(cql);
            }
            return List.of(run(session, settings, model, query, cql, limit, budget, timeout, call));
        } catch (Throwable t) {
            Failure known = NoNodeRecovery.failure(t, session, instance, settings);
            if (known != null) {
                throw Failure.described(known, t);
            }
            throw t;
        }
    }

    /** {@link Failure#querying}, the data source's timeout setting named in a timeout's message. */
    @Override
    public QueryFailure classify(Throwable failure, CqlInstance instance) {
        Failure f = Failure.querying(failure, timeout(instance));
        return new QueryFailure(f.status(), f.source(), f.message());
    }

    private static Frame run(CqlSession session, CqlSettings settings, QueryModel model, DataQuery query, String cql, long limit,
                             ResponseBudget budget, Duration timeout, QueryCall call) throws InvalidSettingsException {
        RequestContext rc = call.cancellation();
        SimpleStatement stmt = statement(settings, cql, limit, timeout);
        boolean table = model.format() == QueryModel.Format.TABLE;
        // a table's frame is named after its query (as Grafana's table panel lists it)
        // several partitions named by an IN on the key may be read concurrently, one statement each (PartitionReads)
        ResultReader.Result r = ResultReader.read(PartitionReads.pages(session, settings, cql, stmt, limit, timeout),
                table ? ResultReader.Plan::all : defs -> ResultShapes.timeSeriesPlan(defs, model.timeColumn()),
                limit, budget.bytes(), timeout, rc, table ? query.refId() : "");
        FrameMeta meta = FrameMeta.empty().withExecutedQueryString(cql);
        for (Notice n : notices(r, model, settings, limit, budget, call)) {
            meta = meta.withNotice(n);
        }
        return table ? ResultShapes.table(r, meta) : ResultShapes.timeSeries(r, model, meta, query.intervalMs());
    }

    static SimpleStatement statement(CqlSettings settings, String cql, long limit, Duration timeout) {
        int pageSize = settings.pageSize();
        if (limit <= pageSize) {
            pageSize = (int) limit + 1; // one row more than the limit tells whether rows were left
        }
        return SimpleStatement.builder(cql)
                .setPageSize(pageSize)
                .setConsistencyLevel(settings.consistency())
                .setTimeout(timeout)
                // a read may run twice without harm, so the driver retries it on another node when a connection
                // is lost mid-request; a write (read-write data source) may not: a counter or a list append
                // would apply twice
                .setIdempotence(ReadOnlyGuard.isRead(cql))
                .build();
    }

    // ---- streams (Live)

    /** QueryData's answer to a stream query: the stream layout in ascending time, with the channel in its meta. */
    private Frame streamAnswer(CqlSession session, CqlSettings settings, QueryModel model, DataQuery query, QueryCall call,
                               String cql, long limit, Duration timeout) throws InvalidSettingsException {
        PluginContext ctx = call.context();
        StreamRows rows = readStream(session, settings, model, query.refId(), cql, limit, budget, timeout, call.cancellation(), call);
        Frame f = ascending(rows);
        try {
            String channel = streams.issue(ctx, model, query.refId(), f, rows.timeField(), query.timeRange());
            return f.withMeta(f.meta().withChannel(channel));
        } catch (RuntimeException | Error e) {
            f.close();
            throw e;
        }
    }

    /**
     * One read of a live tail: the stream query's CQL with its macros expanded over {@code range} (the tail's window),
     * guarded and read like a query, in the stream layout: the same fields, types and meta as QueryData's answer to it.
     * Rows come in the node's order. Failures are thrown as they come (see {@link #describe}).
     */
    public StreamRows readStream(CqlInstance instance, QueryModel model, String refId, TimeRange range, long intervalMs,
                                 RequestContext rc) throws InvalidSettingsException {
        CqlSettings settings = instance.settings();
        String cql = Macros.expand(model.cql(), range, intervalMs);
        ReadOnlyGuard.check(cql, settings.readOnly());
        long limit = rowLimit(model, settings);
        CqlSession session = session(instance, settings);
        return readStream(session, settings, model, refId, cql, limit, budget, settings.queryTimeout(), rc, null);
    }

    private static StreamRows readStream(CqlSession session, CqlSettings settings, QueryModel model, String refId, String cql,
                                         long limit, ResponseBudget budget, Duration timeout, RequestContext rc,
                                         QueryCall call) throws InvalidSettingsException {
        boolean table = model.format() == QueryModel.Format.TABLE;
        ResultReader.Result r = ResultReader.read(session, statement(settings, cql, limit, timeout),
                defs -> ResultShapes.streamPlan(defs, model), limit, budget.bytes(), timeout, rc, table ? refId : "");
        FrameMeta meta = FrameMeta.empty().withExecutedQueryString(cql);
        for (Notice n : notices(r, model, settings, limit, budget, call)) {
            meta = meta.withNotice(n);
        }
        return new StreamRows(ResultShapes.stream(r, model, meta), ResultShapes.timeField(r.plan()), r.limitReached());
    }

    /** The rows' frame in ascending time (stable: equal times keep the node's order); closes what it replaces. */
    static Frame ascending(StreamRows rows) {
        Frame f = rows.frame();
        int[] order = FrameRows.ascendingByTime(f.field(rows.timeField()));
        if (order == null) {
            return f;
        }
        try {
            return FrameRows.select(f, order);
        } finally {
            f.close();
        }
    }

    /**
     * What a failure of {@link #readStream} would say in a query's response (the node's or the driver's own message,
     * timeouts naming the setting), for logs. {@code instance} (may be null) gives the timeout setting's value.
     */
    public static String describe(Throwable t, CqlInstance instance) {
        return Failure.querying(t, timeout(instance)).message();
    }

    /** The instance's query timeout setting; null without an instance or valid settings (their message says why). */
    private static Duration timeout(CqlInstance instance) {
        try {
            return instance == null ? null : instance.settings().queryTimeout();
        } catch (InvalidSettingsException | RuntimeException ignored) {
            return null; // the message names the settings problem itself
        }
    }

    /**
     * The data source's limit (setting rowLimit) caps every query; a query's own rowLimit can only lower it.
     * No positive limit anywhere: as many rows as a frame holds.
     */
    static long rowLimit(QueryModel model, CqlSettings settings) {
        long ds = settings.rowLimit() > 0 ? settings.rowLimit() : Integer.MAX_VALUE - 1;
        long q = model.rowLimit() > 0 ? model.rowLimit() : Long.MAX_VALUE;
        return Math.min(Math.min(ds, q), Integer.MAX_VALUE - 1);
    }

    /**
     * The notices of one read, this driver's own (size limit, null times, out-of-range times); a row limit that cut the
     * rows is reported to {@code call} (null: a Live read, whose notices nobody sees), whose runner words it.
     */
    static List<Notice> notices(ResultReader.Result r, QueryModel model, CqlSettings settings, long limit, ResponseBudget budget,
                                QueryCall call) {
        List<Notice> out = new java.util.ArrayList<>();
        boolean byRowLimit = r.limitReached() && !r.sizeLimitReached();
        if (call != null) {
            boolean byQuery = model.rowLimit() > 0 && (settings.rowLimit() <= 0 || model.rowLimit() < settings.rowLimit());
            call.rowLimit(!byRowLimit ? null : byQuery ? new RowLimitReached(limit, RowLimitReached.Origin.QUERY, QueryKey.ROW_LIMIT.key())
                    : new RowLimitReached(limit, RowLimitReached.Origin.DATA_SOURCE, Setting.ROW_LIMIT.key()));
        }
        if (r.sizeLimitReached()) {
            out.add(Notice.warning("Results have been limited to " + r.rows() + " rows because the answer reached its size limit of "
                    + budget.text() + " (grafana.ini [plugin.opencql-cql-datasource] max_response_mb); narrow the query (time range,"
                    + " columns, partitions) or set a lower rowLimit"));
        }
        if (r.droppedRows() > 0) {
            out.add(Notice.warning(r.droppedRows() + " rows with a null time in column '"
                    + r.frame().field(ResultShapes.timeField(r.plan())).name() + "' were left out"));
        }
        for (int k = 0; k < r.readers().length; k++) {
            long bad = r.readers()[k].unrepresentable();
            if (bad > 0) {
                out.add(Notice.warning(bad + " values of column '" + r.frame().field(k).name()
                        + "' lie outside the times Grafana can show (years 1677 to 2262) and were replaced by null"));
            }
        }
        return out;
    }

    /** The instance's session; one that cannot be opened fails with Save &amp; test's description of why. */
    static CqlSession session(CqlInstance instance, CqlSettings settings) {
        try {
            return instance.session();
        } catch (Exception e) {
            throw Failure.sessionUnavailable(e, settings);
        }
    }
}
