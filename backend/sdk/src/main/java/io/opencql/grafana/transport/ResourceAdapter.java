package io.opencql.grafana.transport;

import com.google.protobuf.ByteString;
import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.transport.proto.pluginv2.StringList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CallResource between protobuf and the SDK's types (status and headers in the first message only). */
final class ResourceAdapter {

    private ResourceAdapter() {
    }

    static CallResourceRequest resource(io.opencql.grafana.transport.proto.pluginv2.CallResourceRequest r, String tenantId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        r.getHeadersMap().forEach((k, v) -> headers.put(k, List.copyOf(v.getValuesList())));
        return new CallResourceRequest(ContextAdapter.context(r.getPluginContext(), tenantId), r.getPath(), r.getMethod(), r.getUrl(),
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
}
