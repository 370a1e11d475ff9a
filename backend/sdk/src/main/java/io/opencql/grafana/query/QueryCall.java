package io.opencql.grafana.query;

import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;

/**
 * One query's call as the driver sees it: who asks, whether Grafana Alerting asks ({@code fromAlert}: nobody will
 * subscribe to a Live channel), the request's cancellation, and where the driver reports what it executes and whether
 * a row limit cut its rows.
 * Belongs to one query, run by one thread at a time.
 */
public final class QueryCall {

    private final PluginContext context;
    private final boolean fromAlert;
    private final RequestContext cancellation;
    private volatile String executed;
    private volatile RowLimitReached rowLimit;

    public QueryCall(PluginContext context, boolean fromAlert, RequestContext cancellation) {
        this.context = context;
        this.fromAlert = fromAlert;
        this.cancellation = cancellation == null ? RequestContext.NONE : cancellation;
    }

    public PluginContext context() {
        return context;
    }

    public boolean fromAlert() {
        return fromAlert;
    }

    public RequestContext cancellation() {
        return cancellation;
    }

    /** The text now being sent to the database (replacing any earlier one): a failure's response shows it. */
    public void executing(String text) {
        executed = text;
    }

    /** What was last reported as executing; null before anything was. */
    public String executed() {
        return executed;
    }

    /**
     * Whether the rows of the answer stopped at a row limit (null: they did not), reported by the read whose
     * frames are returned, replacing any earlier report; the runner adds the notice.
     */
    public void rowLimit(RowLimitReached reached) {
        rowLimit = reached;
    }

    /** What was last reported by {@link #rowLimit(RowLimitReached)}; null: no limit was reached. */
    public RowLimitReached rowLimit() {
        return rowLimit;
    }
}
