package io.opencql.cql.internal.kernel;

import io.opencql.grafana.backend.ErrorSource;

/**
 * A query that cannot run as given, with the status and error source its response gets. Almost always the
 * user's input (400, downstream); the message says what to change.
 */
public final class QueryException extends RuntimeException {

    private final int status;
    private final ErrorSource source;

    public QueryException(int status, ErrorSource source, String message) {
        super(message, null, false, false);
        this.status = status;
        this.source = source;
    }

    /** 400, downstream: the query text or model is wrong. */
    public static QueryException badRequest(String message) {
        return new QueryException(400, ErrorSource.DOWNSTREAM, message);
    }

    public int status() {
        return status;
    }

    public ErrorSource source() {
        return source;
    }
}
