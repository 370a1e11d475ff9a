package io.opencql.grafana.query;

import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import java.util.List;

/** How a failed query is answered: an HTTP status, who caused it, and the message the user reads. */
public record QueryFailure(int status, ErrorSource source, String message) {

    /**
     * The error response; with the text that was executed (null: none yet), a frame without fields carries it in
     * its meta, so that the query inspector shows what ran.
     */
    DataResponse response(String executed) {
        List<Frame> frames = executed == null ? List.of()
                : List.of(new Frame("", "", FrameMeta.empty().withExecutedQueryString(executed)));
        return new DataResponse(frames, status, message, source);
    }
}
