package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opencql.cql.internal.kernel.CqlSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultShapesTest {

    @Test
    void aliasTemplate() {
        Map<String, String> labels = Map.of("sensor", "s1", "dc", "eu");
        assertEquals("temp s1 (eu)", ResultShapes.alias("{{column}} {{sensor}} ({{ dc }})", "temp", labels));
        assertEquals("temp  x", ResultShapes.alias("{{column}} {{nope}} x", "temp", labels));
        assertEquals("plain", ResultShapes.alias("plain", "temp", labels));
        assertEquals("a {{b", ResultShapes.alias("a {{b", "temp", labels));
        assertEquals("", ResultShapes.alias("", "temp", labels));
    }

    static CqlSettings settings(long rowLimit) {
        return new CqlSettings(List.of(), null, null, com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_ONE, Duration.ofSeconds(5), Duration.ofSeconds(30), 5000, rowLimit,
                true, CqlSettings.Tls.OFF, null, null);
    }

    static QueryModel model(long rowLimit) {
        return new QueryModel("SELECT 1", QueryModel.Format.TABLE, null, null, QueryModel.Fill.NONE, 0, rowLimit, false, 1000, null, io.opencql.grafana.data.TimeGroup.Aggregate.AVG);
    }

    @Test
    void queryRowLimitCanOnlyLowerTheDataSourceLimit() {
        assertEquals(1000, CqlQueries.rowLimit(model(0), settings(1000)));
        assertEquals(10, CqlQueries.rowLimit(model(10), settings(1000)));
        assertEquals(1000, CqlQueries.rowLimit(model(5000), settings(1000)));
        assertEquals(5000, CqlQueries.rowLimit(model(5000), settings(0)));
        assertEquals(Integer.MAX_VALUE - 1, CqlQueries.rowLimit(model(0), settings(-1)));
    }
}
