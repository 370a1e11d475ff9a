package io.opencql.grafana.query;

import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.data.Frame;
import java.util.List;

/**
 * What a data source plugs into the {@link QueryRunner}: how to run one query of its own language, and how to
 * describe its failures. Everything every data source needs alike (the self-test, running a request's queries in
 * parallel, cancellation, an answer for every refId, the refId on every frame, a failure turned into an error
 * response that shows the executed query) is the runner's.
 *
 * @param <I> the data source instance (settings and connections), as the instance manager creates it
 */
public interface QueryDriver<I> {

    /**
     * Runs one query and returns its frames (the runner sets their refId). Reports the text it sends to the
     * database with {@link QueryCall#executing} as soon as it is known, so that a failure's response shows it, and
     * a row limit that cut the rows with {@link QueryCall#rowLimit(RowLimitReached)} (the runner adds the notice).
     * Any failure is thrown as it comes; {@link #classify} describes it.
     */
    List<Frame> run(I instance, DataQuery query, QueryCall call) throws Exception;

    /**
     * The status, error source and message of a failure of {@link #run}, or of the runner's own
     * {@link java.util.concurrent.CancellationException} when the request was cancelled. Null: not a failure the
     * driver knows (the runner answers 500, plugin, and logs it). {@code instance} may be null.
     */
    QueryFailure classify(Throwable failure, I instance);
}
