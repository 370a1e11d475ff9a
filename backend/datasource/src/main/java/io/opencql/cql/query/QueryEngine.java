package io.opencql.cql.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.opencql.cql.failure.Failure;
import io.opencql.cql.failure.PoolDiagnosis;
import io.opencql.cql.kernel.CqlInstance;
import io.opencql.cql.kernel.CqlSettings;
import io.opencql.cql.kernel.InvalidSettingsException;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.FrameRows;
import io.opencql.grafana.data.Notice;
import io.opencql.grafana.data.SelfTestFrame;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one query of a QueryData request: parse the model, expand macros, guard read-only, execute with
 * paging, read rows into typed columns, shape. Stateless and thread-safe: the data source calls it for the
 * queries of a request in parallel.
 *
 * <p>{@link #execute} never throws: every failure becomes a response with an HTTP status and an error source
 * ({@link Failure}), and when the CQL got as far as being expanded, a frame without fields whose meta
 * carries the executed query string, so the query inspector shows what ran.
 *
 * <p>A {@code stream: true} query (with a {@link StreamIssuer}) is answered in the stream layout with its Live
 * channel in {@code meta.channel}; the live tail reads it again per poll through {@link #readStream}, so both share
 * one plan, reader and field schema.
 */
public final class QueryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QueryEngine.class);

    private final StreamIssuer streams;
    private final ResponseBudget budget;

    /** An engine that answers {@code stream: true} queries as plain queries (no Live channel). */
    public QueryEngine() {
        this(null);
    }

    /** An engine with the default byte budget per answer. */
    public QueryEngine(StreamIssuer streams) {
        this(streams, ResponseBudget.DEFAULT);
    }

    /**
     * @param streams gives {@code stream: true} queries their Live channel; their answer is then the stream layout
     *                ({@link ResultShapes}), which the channel's packets append to. Null: answered as plain queries.
     * @param budget  the byte budget of each answer: rows past it are left out with a notice
     */
    public QueryEngine(StreamIssuer streams, ResponseBudget budget) {
        this.streams = streams;
        this.budget = budget;
    }

    public DataResponse execute(CqlInstance instance, DataQuery query, PluginContext ctx, RequestContext rc) {
        return execute(instance, query, ctx, false, rc);
    }

    /**
     * @param fromAlert Grafana Alerting asks: nobody will subscribe, so a {@code stream: true} query is answered as
     *                  a plain query in its own format (a wide time series an alert rule can evaluate) and no
     *                  channel is issued.
     */
    public DataResponse execute(CqlInstance instance, DataQuery query, PluginContext ctx, boolean fromAlert, RequestContext rc) {
        String executed = null;
        Duration timeout = null; // known once the settings are
        CqlSettings settings = null;
        CqlSession session = null;
        try {
            if ("selftest".equals(query.queryType())) {
                return DataResponse.ok(SelfTestFrame.create(query.refId()));
            }
            QueryModel model = QueryModel.parse(query);
            settings = instance.settings();
            timeout = settings.queryTimeout();
            String cql = Macros.expand(model.cql(), query.timeRange(), query.intervalMs());
            executed = cql;
            if (ReadOnlyGuard.refusesUnknownStatement(cql, settings.readOnly())) {
                SyntaxCheck.failIfUnparsable(instance, cql);
            }
            ReadOnlyGuard.check(cql, settings.readOnly());
            long limit = rowLimit(model, settings);
            session = session(instance, settings);
            if (rc.isCancelled()) {
                return response(Failure.cancelled(), executed);
            }
            if (model.stream() && streams != null && !fromAlert) {
                return DataResponse.ok(streamAnswer(session, settings, model, query, ctx, cql, limit, timeout, rc));
            }
            TimeGroupPlanner.Pushdown onNode = TimeGroupOnNode.plan(session, model, cql, query.intervalMs(), timeout);
            if (onNode != null) {
                executed = onNode.cql(); // what the inspector shows is what was sent, failures included
                Frame grouped = TimeGroupOnNode.run(session, statement(settings, onNode.cql(), limit, timeout), onNode, model,
                        query.refId(), settings, limit, budget, timeout, rc);
                if (grouped != null) {
                    return DataResponse.ok(grouped);
                }
                executed = cql;
            }
            return DataResponse.ok(run(session, settings, model, query, cql, limit, budget, timeout, rc));
        } catch (Throwable t) {
            // even an Error (a stack overflow on absurd input, a frame too large for memory) is this query's
            // failure only: the other queries of the request still answer
            Failure m = Failure.querying(t, timeout);
            if (session != null && Failure.noNodeAvailable(t)) {
                // the driver cannot say why its pools are empty; the session's metadata often can
                PoolDiagnosis.Cause c = PoolDiagnosis.explain(session, settings);
                if (c != null) {
                    m = c.failure("no node could run the query: ", m.verboseMessage());
                }
                if (c != null && c.noneUp() && PoolDiagnosis.aDownNodeAnswers(session)) {
                    // the nodes are back, but this session cannot reconnect to them by itself: a new one either
                    // works (the panel's next refresh runs) or fails with Save & test's words for the cause
                    instance.reopen(session);
                    try {
                        session(instance, settings);
                        m = PoolDiagnosis.reopened(m.verboseMessage());
                    } catch (Throwable open) {
                        m = Failure.querying(open, timeout); // as any query whose session cannot be opened
                    }
                }
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("query {} failed: {} {} {}", query.refId(), m.status(), m.source().wire(), m.message());
            }
            return response(m, executed);
        }
    }

    private static Frame run(CqlSession session, CqlSettings settings, QueryModel model, DataQuery query, String cql, long limit,
                             ResponseBudget budget, Duration timeout, RequestContext rc) throws InvalidSettingsException {
        SimpleStatement stmt = statement(settings, cql, limit, timeout);
        boolean table = model.format() == QueryModel.Format.TABLE;
        ResultReader.Result r = ResultReader.read(session, stmt,
                table ? ResultReader.Plan::all : defs -> ResultShapes.timeSeriesPlan(defs, model.timeColumn()),
                limit, budget.bytes(), timeout, rc, table ? query.refId() : "");
        FrameMeta meta = FrameMeta.empty().withExecutedQueryString(cql);
        for (Notice n : notices(r, model, settings, limit, budget)) {
            meta = meta.withNotice(n);
        }
        return table ? ResultShapes.table(r, query.refId(), meta) : ResultShapes.timeSeries(r, model, query.refId(), meta, query.intervalMs());
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
    private Frame streamAnswer(CqlSession session, CqlSettings settings, QueryModel model, DataQuery query, PluginContext ctx,
                               String cql, long limit, Duration timeout, RequestContext rc) throws InvalidSettingsException {
        StreamRows rows = readStream(session, settings, model, query.refId(), cql, limit, budget, timeout, rc);
        Frame f = ascending(rows);
        try {
            String channel = streams.issue(ctx, model, query.refId(), f, rows.timeField(), query.timeRange());
            f.setMeta(f.meta().withChannel(channel));
            return f;
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
        return readStream(session, settings, model, refId, cql, limit, budget, settings.queryTimeout(), rc);
    }

    private static StreamRows readStream(CqlSession session, CqlSettings settings, QueryModel model, String refId, String cql,
                                         long limit, ResponseBudget budget, Duration timeout, RequestContext rc)
            throws InvalidSettingsException {
        boolean table = model.format() == QueryModel.Format.TABLE;
        ResultReader.Result r = ResultReader.read(session, statement(settings, cql, limit, timeout),
                defs -> ResultShapes.streamPlan(defs, model), limit, budget.bytes(), timeout, rc, table ? refId : "");
        FrameMeta meta = FrameMeta.empty().withExecutedQueryString(cql);
        for (Notice n : notices(r, model, settings, limit, budget)) {
            meta = meta.withNotice(n);
        }
        return new StreamRows(ResultShapes.stream(r, model, refId, meta), ResultShapes.timeField(r.plan()), r.limitReached());
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
        Duration timeout = null;
        try {
            timeout = instance == null ? null : instance.settings().queryTimeout();
        } catch (InvalidSettingsException | RuntimeException ignored) {
            // the message names the settings problem itself
        }
        return Failure.querying(t, timeout).message();
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

    static List<Notice> notices(ResultReader.Result r, QueryModel model, CqlSettings settings, long limit, ResponseBudget budget) {
        List<Notice> out = new java.util.ArrayList<>();
        if (r.sizeLimitReached()) {
            out.add(Notice.warning("Results have been limited to " + r.rows() + " rows because the answer reached its size limit of "
                    + budget.text() + " (grafana.ini [plugin.opencql-cql-datasource] max_response_mb); narrow the query (time range,"
                    + " columns, partitions) or set a lower rowLimit"));
        } else if (r.limitReached()) {
            boolean byQuery = model.rowLimit() > 0 && (settings.rowLimit() <= 0 || model.rowLimit() < settings.rowLimit());
            out.add(Notice.warning("Results have been limited to " + limit + " rows because the row limit was reached ("
                    + (byQuery ? "query option rowLimit" : "setting rowLimit") + ")"));
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
    private static CqlSession session(CqlInstance instance, CqlSettings settings) {
        try {
            return instance.session();
        } catch (Exception e) {
            throw Failure.sessionUnavailable(e, settings);
        }
    }

    private static DataResponse response(Failure m, String executed) {
        List<Frame> frames = List.of();
        if (executed != null) {
            frames = List.of(new Frame("").setMeta(FrameMeta.empty().withExecutedQueryString(executed)));
        }
        return new DataResponse(frames, m.status(), m.message(), m.source());
    }
}
