package io.opencql.grafana.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryDataRequestTest {

    private static QueryDataRequest request(Map<String, String> headers) {
        return new QueryDataRequest(null, headers, List.of());
    }

    @Test
    void headersAreFoundBareOrWithTheHttpPrefixInAnyCase() {
        assertEquals("v", request(Map.of("X-Test", "v")).header("x-test"));
        assertEquals("v", request(Map.of("http_X-Test", "v")).header("X-Test"));
        assertEquals("v", request(Map.of("HTTP_x-test", "v")).header("X-Test"));
        assertNull(request(Map.of("http_X-Tes", "v")).header("X-Test"));
        assertNull(request(Map.of("httpsX-Test", "v")).header("X-Test"));
        assertNull(request(null).header("X-Test"));
    }

    @Test
    void fromAlertIsTrueOnlyForGrafanaAlertingsHeader() {
        assertTrue(request(Map.of("FromAlert", "true")).fromAlert());
        assertTrue(request(Map.of("http_FromAlert", "true")).fromAlert());
        assertTrue(request(Map.of("fromalert", "TRUE")).fromAlert());
        assertFalse(request(Map.of("FromAlert", "false")).fromAlert());
        assertFalse(request(Map.of("FromAlert", "")).fromAlert());
        assertFalse(request(Map.of()).fromAlert());
        assertFalse(request(Map.of("X-Grafana-From-Alert", "true")).fromAlert());
    }
}
