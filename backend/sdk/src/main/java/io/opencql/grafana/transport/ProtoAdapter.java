package io.opencql.grafana.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.backend.StreamRequest;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.backend.User;
import io.opencql.grafana.data.ArrowFrameWriter;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthResponse;
import io.opencql.grafana.transport.proto.pluginv2.StringList;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one place that converts between generated protobuf classes and the SDK's own types. */
final class ProtoAdapter {

    private ProtoAdapter() {
    }

    static PluginContext context(io.opencql.grafana.transport.proto.pluginv2.PluginContext p, String tenantId) {
        User user = p.hasUser() ? new User(p.getUser().getLogin(), p.getUser().getName(), p.getUser().getEmail(), p.getUser().getRole()) : null;
        DataSourceSettings ds = null;
        if (p.hasDataSourceInstanceSettings()) {
            var s = p.getDataSourceInstanceSettings();
            ds = new DataSourceSettings(s.getId(), s.getUid(), s.getName(), s.getUrl(), s.getUser(), s.getDatabase(),
                    s.getBasicAuthEnabled(), s.getBasicAuthUser(), s.getJsonData().toByteArray(),
                    s.getDecryptedSecureJsonDataMap(), s.getLastUpdatedMS(), s.getApiVersion());
        }
        return new PluginContext(p.getOrgId(), p.getPluginId(), user, ds, p.getGrafanaConfigMap(),
                p.getPluginVersion(), p.getUserAgent(), tenantId);
    }

    static QueryDataRequest queryData(io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest r, String tenantId) {
        List<DataQuery> queries = r.getQueriesList().stream()
                .map(q -> new DataQuery(q.getRefId(), q.getMaxDataPoints(), q.getIntervalMS(),
                        new TimeRange(q.getTimeRange().getFromEpochMS(), q.getTimeRange().getToEpochMS()),
                        q.getJson().toByteArray(), q.getQueryType()))
                .toList();
        return new QueryDataRequest(context(r.getPluginContext(), tenantId), r.getHeadersMap(), queries);
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
            b.setErrorSource((r.errorSource() == null ? io.opencql.grafana.backend.ErrorSource.PLUGIN : r.errorSource()).wire());
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

    static io.opencql.grafana.backend.CheckHealthRequest health(io.opencql.grafana.transport.proto.pluginv2.CheckHealthRequest r,
                                                               String tenantId) {
        return new io.opencql.grafana.backend.CheckHealthRequest(context(r.getPluginContext(), tenantId), r.getHeadersMap());
    }

    static CheckHealthResponse health(CheckHealthResult r) {
        var b = CheckHealthResponse.newBuilder()
                .setStatus(switch (r.status()) {
                    case OK -> CheckHealthResponse.HealthStatus.OK;
                    case ERROR -> CheckHealthResponse.HealthStatus.ERROR;
                    case UNKNOWN -> CheckHealthResponse.HealthStatus.UNKNOWN;
                })
                .setMessage(r.message() == null ? "" : r.message());
        if (!r.details().isEmpty()) {
            b.setJsonDetails(ByteString.copyFromUtf8(Json.object(r.details())));
        }
        return b.build();
    }

    static CallResourceRequest resource(io.opencql.grafana.transport.proto.pluginv2.CallResourceRequest r, String tenantId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        r.getHeadersMap().forEach((k, v) -> headers.put(k, List.copyOf(v.getValuesList())));
        return new CallResourceRequest(context(r.getPluginContext(), tenantId), r.getPath(), r.getMethod(), r.getUrl(),
                headers, r.getBody().toByteArray());
    }

    static io.opencql.grafana.transport.proto.pluginv2.CallResourceResponse resource(CallResourceResponse r, boolean first) {
        var b = io.opencql.grafana.transport.proto.pluginv2.CallResourceResponse.newBuilder()
                .setCode(r.status())
                .setBody(ByteString.copyFrom(r.body()));
        if (first) {
            r.headers().forEach((k, v) -> b.putHeaders(k, StringList.newBuilder().addAllValues(v).build()));
        }
        return b.build();
    }

    static StreamRequest stream(io.opencql.grafana.transport.proto.pluginv2.PluginContext ctx, String path, ByteString data,
                                Map<String, String> headers, String tenantId) {
        return new StreamRequest(context(ctx, tenantId), path, data.toByteArray(), headers);
    }

    static io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamResponse subscribe(StreamReply r) {
        return io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamResponse.newBuilder()
                .setStatus(switch (r.status()) {
                    case OK -> io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamResponse.Status.OK;
                    case NOT_FOUND -> io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamResponse.Status.NOT_FOUND;
                    case PERMISSION_DENIED -> io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamResponse.Status.PERMISSION_DENIED;
                })
                .setData(ByteString.copyFrom(r.data()))
                .build();
    }

    static io.opencql.grafana.transport.proto.pluginv2.PublishStreamResponse publish(StreamReply r) {
        return io.opencql.grafana.transport.proto.pluginv2.PublishStreamResponse.newBuilder()
                .setStatus(switch (r.status()) {
                    case OK -> io.opencql.grafana.transport.proto.pluginv2.PublishStreamResponse.Status.OK;
                    case NOT_FOUND -> io.opencql.grafana.transport.proto.pluginv2.PublishStreamResponse.Status.NOT_FOUND;
                    case PERMISSION_DENIED -> io.opencql.grafana.transport.proto.pluginv2.PublishStreamResponse.Status.PERMISSION_DENIED;
                })
                .setData(ByteString.copyFrom(r.data()))
                .build();
    }
}
