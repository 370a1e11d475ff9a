package io.opencql.grafana.query;

import io.opencql.grafana.backend.DataQuery;
import java.util.List;

/**
 * Whether a QueryData request holds nothing but {@code selftest} queries. The query type {@code selftest} is the
 * SDK's: {@link QueryRunner} answers it itself with a frame of every field type, without a data source instance,
 * a session or any I/O. So such a request can be answered on the thread that received it (the transport does,
 * on gRPC's event loop); anything else may block and must not be.
 */
public final class SelfTestOnly {

    /** The query type the runner answers with the self-test frame (README: "selftest"). */
    public static final String QUERY_TYPE = "selftest";

    private SelfTestOnly() {
    }

    /** True when there is at least one query and every one is a self-test. */
    public static boolean test(List<DataQuery> queries) {
        if (queries.isEmpty()) {
            return false;
        }
        for (DataQuery q : queries) {
            if (!QUERY_TYPE.equals(q.queryType())) {
                return false;
            }
        }
        return true;
    }
}
