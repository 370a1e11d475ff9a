package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseBudgetTest {

    @Test
    void defaultIs32MiBAndZeroTurnsItOff() {
        assertEquals(32L << 20, ResponseBudget.fromEnvironment(Map.of()).bytes());
        assertEquals(100L << 20, ResponseBudget.fromEnvironment(Map.of(ResponseBudget.ENV, " 100 ")).bytes());
        assertEquals(Long.MAX_VALUE, ResponseBudget.fromEnvironment(Map.of(ResponseBudget.ENV, "0")).bytes());
        assertEquals("32 MiB", ResponseBudget.DEFAULT.text());
    }

    @Test
    void anythingElseNamesTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResponseBudget.fromEnvironment(Map.of(ResponseBudget.ENV, "64MB")));
        assertEquals("GF_PLUGIN_MAX_RESPONSE_MB (grafana.ini [plugin.<id>] max_response_mb) must be a whole number of MiB, 0 for no"
                + " limit, got \"64MB\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResponseBudget.fromEnvironment(Map.of(ResponseBudget.ENV, "-1")));
    }
}
