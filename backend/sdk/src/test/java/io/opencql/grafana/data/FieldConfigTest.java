package io.opencql.grafana.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldConfigTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void nonFiniteNumbersAreNullAsGrafanaWritesThem() throws Exception {
        FieldConfig c = new FieldConfig(null, null, null, null, null, Double.NaN, Double.POSITIVE_INFINITY, 1000.0, null, null, null, null);
        assertEquals("{\"min\":null,\"max\":null,\"interval\":1000.0}", json.writeValueAsString(c));
    }

    @Test
    void enumTextNestsUnderType() throws Exception {
        assertEquals("{\"type\":{\"enum\":{\"text\":[\"a\",\"b\"]}}}", json.writeValueAsString(FieldConfig.enumText(List.of("a", "b"))));
    }

    @Test
    void unsetKeysAreOmitted() throws Exception {
        assertEquals("{\"displayNameFromDS\":\"x\",\"unit\":\"ms\"}", json.writeValueAsString(FieldConfig.EMPTY.withDisplayNameFromDS("x").withUnit("ms")));
    }
}
