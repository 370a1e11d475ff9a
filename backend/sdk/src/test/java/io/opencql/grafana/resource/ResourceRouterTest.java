package io.opencql.grafana.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceRouterTest {

    private final ResourceRouter router = new ResourceRouter()
            .get("items", call -> CallResourceResponse.json(200, "[\"" + call.parameter("q") + "\"]"))
            .get("items/{id}", call -> CallResourceResponse.json(200, "{\"id\":\"" + call.pathParameters().get("id") + "\"}"))
            .route("POST", "items/{id}", call -> CallResourceResponse.json(201, "{}"))
            .get("boom", call -> {
                throw new IllegalStateException("route bug with a secret");
            });

    private CallResourceResponse call(String method, String url) {
        int q = url.indexOf('?');
        return router.answer(new CallResourceRequest(new PluginContext(1, "p", null, null, Map.of(), "", "", ""),
                q < 0 ? url : url.substring(0, q), method, url, Map.of(), null), RequestContext.NONE);
    }

    private static String body(CallResourceResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void routesByMethodAndPattern() {
        CallResourceResponse r = call("GET", "/items/?q=a%20b");
        assertEquals(200, r.status());
        assertEquals("[\"a b\"]", body(r));
        assertEquals("{\"id\":\"7\"}", body(call("get", "items/7")));
        assertEquals(201, call("POST", "items/7").status());
    }

    @Test
    void anUnknownPathIs404NamingThePathsThereAre() {
        CallResourceResponse r = call("GET", "nope");
        assertEquals(404, r.status());
        assertEquals(List.of("application/json"), r.headers().get("Content-Type"));
        assertEquals("{\"error\":\"unknown resource \\\"nope\\\"; available: items, items/{id}, boom\"}", body(r));
        assertEquals(404, call("GET", "items/7/more").status());
    }

    @Test
    void anotherMethodIs405WithAllow() {
        CallResourceResponse r = call("DELETE", "items/7");
        assertEquals(405, r.status());
        assertEquals(List.of("GET, POST"), r.headers().get("Allow"));
        assertEquals("{\"error\":\"method DELETE not allowed on items/7; use GET or POST\"}", body(r));
        assertEquals(List.of("GET"), call("POST", "items").headers().get("Allow"));
    }

    @Test
    void aThrowingRouteIs500WithoutItsMessage() {
        CallResourceResponse r = call("GET", "boom");
        assertEquals(500, r.status());
        assertEquals("{\"error\":\"internal error\"}", body(r));
    }
}
