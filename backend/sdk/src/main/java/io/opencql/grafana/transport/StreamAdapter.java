package io.opencql.grafana.transport;

import com.google.protobuf.ByteString;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.backend.StreamRequest;
import java.util.Map;

/** Subscribe, Publish and RunStream requests and replies between protobuf and the SDK's types. */
final class StreamAdapter {

    private StreamAdapter() {
    }

    static StreamRequest stream(io.opencql.grafana.transport.proto.pluginv2.PluginContext ctx, String path, ByteString data,
                                Map<String, String> headers, String tenantId) {
        return new StreamRequest(ContextAdapter.context(ctx, tenantId), path, data.toByteArray(), headers);
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
