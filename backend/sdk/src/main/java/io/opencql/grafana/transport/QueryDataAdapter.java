package io.opencql.grafana.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.ArrowFrameWriter;
import io.opencql.grafana.data.Frame;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/** QueryData between protobuf and the SDK's types: the request in, each response's frames out as Arrow. */
final class QueryDataAdapter {

    private QueryDataAdapter() {
    }

    static QueryDataRequest queryData(io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest r, String tenantId) {
        List<DataQuery> queries = r.getQueriesList().stream()
                .map(q -> new DataQuery(q.getRefId(), q.getMaxDataPoints(), q.getIntervalMS(),
                        new TimeRange(q.getTimeRange().getFromEpochMS(), q.getTimeRange().getToEpochMS()),
                        q.getJson().toByteArray(), q.getQueryType()))
                .toList();
        return new QueryDataRequest(ContextAdapter.context(r.getPluginContext(), tenantId), r.getHeadersMap(), queries);
    }

    /** Encodes every frame as an Arrow file; closes the frames afterwards, whatever happens. */
    static io.opencql.grafana.transport.proto.pluginv2.QueryDataResponse queryData(QueryDataResponse response) {
        var out = io.opencql.grafana.transport.proto.pluginv2.QueryDataResponse.newBuilder();
        try {
            for (Map.Entry<String, DataResponse> e : response.responses().entrySet()) {
                out.putResponses(e.getKey(), dataResponse(e.getValue()));
            }
        } finally {
            response.responses().values().forEach(DataResponse::closeFrames);
        }
        return out.build();
    }

    static io.opencql.grafana.transport.proto.pluginv2.DataResponse dataResponse(DataResponse r) {
        var b = io.opencql.grafana.transport.proto.pluginv2.DataResponse.newBuilder().setStatus(r.status());
        for (Frame f : r.frames()) {
            b.addFrames(arrow(f));
        }
        if (r.isError()) {
            b.setError(r.error());
            if (r.errorSource() != null) { // the middleware gives every error one (ErrorSources)
                b.setErrorSource(r.errorSource().wire());
            }
        }
        return b.build();
    }

    /** Arrow bytes handed to protobuf without copying them again. */
    static ByteString arrow(Frame f) {
        ExposedBytes out = new ExposedBytes(ArrowFrameWriter.estimateSize(f));
        ArrowFrameWriter.writeTo(f, out);
        return out.toByteString();
    }

    /** A byte buffer whose array protobuf may wrap, since nobody writes to it afterwards. */
    static final class ExposedBytes extends ByteArrayOutputStream {
        ExposedBytes(int size) {
            super(size);
        }

        ByteString toByteString() {
            return UnsafeByteOperations.unsafeWrap(buf, 0, count);
        }
    }
}
