package io.opencql.cql.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.opencql.cql.CqlInstance;
import io.opencql.cql.CqlSettings;
import io.opencql.cql.InvalidSettingsException;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.Notice;
import io.opencql.grafana.data.SelfTestFrame;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one query of a QueryData request: parse the model, expand macros, guard read-only, execute with
 * paging, read rows into typed columns, shape. Stateless and thread-safe: the data source calls it for the
 * queries of a request in parallel.
 *
 * <p>{@link #execute} never throws: every failure becomes a response with an HTTP status and an error source
 * ({@link QueryErrors}), and when the CQL got as far as being expanded, a frame without fields whose meta
 * carries the executed query string, so the query inspector shows what ran.
 */
public final class QueryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QueryEngine.class);

    public QueryEngine() {
    }

    public DataResponse execute(CqlInstance instance, DataQuery query, PluginContext ctx, RequestContext rc) {
        String executed = null;
        Duration timeout = CqlSettings.DEFAULT_QUERY_TIMEOUT;
        try {
            if ("selftest".equals(query.queryType())) {
                return DataResponse.ok(SelfTestFrame.create(query.refId()));
            }
            QueryModel model = QueryModel.parse(query);
            CqlSettings settings = instance.settings();
            if (settings.queryTimeout() != null && !settings.queryTimeout().isZero() && !settings.queryTimeout().isNegative()) {
                timeout = settings.queryTimeout();
            }
            String cql = Macros.expand(model.cql(), query.timeRange(), query.intervalMs());
            executed = cql;
            ReadOnlyGuard.check(cql, settings.readOnly());
            long limit = rowLimit(model, settings);
            CqlSession session = instance.session();
            if (rc.isCancelled()) {
                return response(QueryErrors.map(new java.util.concurrent.CancellationException(), timeout), executed);
            }
            return DataResponse.ok(run(session, settings, model, query, cql, limit, timeout, rc));
        } catch (Throwable t) {
            // even an Error (a stack overflow on absurd input, a frame too large for memory) is this query's
            // failure only: the other queries of the request still answer
            QueryErrors.Mapped m = QueryErrors.map(t, timeout);
            if (LOG.isDebugEnabled()) {
                LOG.debug("query {} failed: {} {} {}", query.refId(), m.status(), m.source().wire(), m.message());
            }
            return response(m, executed);
        }
    }

    private static Frame run(CqlSession session, CqlSettings settings, QueryModel model, DataQuery query, String cql, long limit,
                             Duration timeout, RequestContext rc) throws InvalidSettingsException {
        int pageSize = settings.pageSize() > 0 ? settings.pageSize() : CqlSettings.DEFAULT_PAGE_SIZE;
        if (limit < pageSize) {
            pageSize = (int) limit + 1; // one row more than the limit tells whether rows were left
        }
        SimpleStatement stmt = SimpleStatement.builder(cql)
                .setPageSize(pageSize)
                .setConsistencyLevel(consistency(settings))
                .setTimeout(timeout)
                .build();
        boolean table = model.format() == QueryModel.Format.TABLE;
        ResultReader.Result r = ResultReader.read(session, stmt,
                table ? ResultReader.Plan::all : defs -> ResultShapes.timeSeriesPlan(defs, model.timeColumn()),
                limit, timeout, rc, table ? query.refId() : "");
        FrameMeta meta = FrameMeta.empty().withExecutedQueryString(cql);
        for (Notice n : notices(r, model, settings, limit)) {
            meta = meta.withNotice(n);
        }
        return table ? ResultShapes.table(r, query.refId(), meta) : ResultShapes.timeSeries(r, model, query.refId(), meta);
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

    static List<Notice> notices(ResultReader.Result r, QueryModel model, CqlSettings settings, long limit) {
        List<Notice> out = new java.util.ArrayList<>();
        if (r.limitReached()) {
            boolean byQuery = model.rowLimit() > 0 && (settings.rowLimit() <= 0 || model.rowLimit() < settings.rowLimit());
            out.add(Notice.warning("Results have been limited to " + limit + " rows because the row limit was reached ("
                    + (byQuery ? "query option rowLimit" : "setting rowLimit") + ")"));
        }
        if (r.droppedRows() > 0) {
            out.add(Notice.warning(r.droppedRows() + " rows with a null time in column '" + r.frame().field(0).name()
                    + "' were left out"));
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

    private static DefaultConsistencyLevel consistency(CqlSettings settings) throws InvalidSettingsException {
        String c = settings.consistency() == null || settings.consistency().isBlank() ? CqlSettings.DEFAULT_CONSISTENCY : settings.consistency();
        try {
            return DefaultConsistencyLevel.valueOf(c.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("consistency", "unknown consistency level '" + c + "'");
        }
    }

    private static DataResponse response(QueryErrors.Mapped m, String executed) {
        List<Frame> frames = List.of();
        if (executed != null) {
            frames = List.of(new Frame("").setMeta(FrameMeta.empty().withExecutedQueryString(executed)));
        }
        return new DataResponse(frames, m.status(), m.message(), m.source());
    }
}
