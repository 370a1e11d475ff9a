package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.cql.internal.query.QueryModel.Fill;
import io.opencql.cql.internal.query.QueryModel.Format;
import io.opencql.grafana.data.TimeGroup.Aggregate;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QueryModelTest {

    static QueryModel parse(String json) {
        return QueryModel.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static String error(String json) {
        QueryException e = assertThrows(QueryException.class, () -> parse(json));
        assertEquals(400, e.status());
        assertEquals("downstream", e.source().wire());
        return e.getMessage();
    }

    @Test
    void defaults() {
        assertEquals(new QueryModel("SELECT 1", Format.TABLE, null, null, Fill.NONE, 0, 0, false, 1000, null, Aggregate.AVG),
                parse("{\"refId\":\"A\",\"cql\":\"SELECT 1\",\"intervalMs\":1000,\"datasource\":{\"uid\":\"x\"}}"));
    }

    @Test
    void everyKey() {
        assertEquals(new QueryModel("SELECT 1", Format.TIME_SERIES, "ts", "{{column}} {{host}}", Fill.VALUE, 2.5, 100, true, 250,
                        new QueryModel.Step(300_000), Aggregate.MAX),
                parse("{\"cql\":\"SELECT 1\",\"format\":\"time_series\",\"timeColumn\":\" ts \",\"alias\":\"{{column}} {{host}}\","
                        + "\"fill\":\"value\",\"fillValue\":2.5,\"rowLimit\":100,\"stream\":true,\"streamIntervalMs\":250,"
                        + "\"timeGroup\":\"5m\",\"aggregate\":\"Max\"}"));
    }

    @Test
    void formatAsNumberOrString() {
        assertEquals(Format.TIME_SERIES, parse("{\"cql\":\"x\",\"format\":0}").format());
        assertEquals(Format.TABLE, parse("{\"cql\":\"x\",\"format\":1}").format());
        assertEquals(Format.TABLE, parse("{\"cql\":\"x\",\"format\":\"\"}").format());
        assertEquals(Format.TIME_SERIES, parse("{\"cql\":\"x\",\"format\":\"TimeSeries\"}").format());
        assertEquals("query key 'format': 2 is not supported; use \"table\" (1) or \"time_series\" (0)", error("{\"cql\":\"x\",\"format\":2}"));
        assertEquals("query key 'format': \"logs\" is not supported; use \"table\" or \"time_series\"", error("{\"cql\":\"x\",\"format\":\"logs\"}"));
        assertEquals("query key 'format': expected \"table\" or \"time_series\", got boolean true", error("{\"cql\":\"x\",\"format\":true}"));
    }

    @Test
    void timeGroupAndAggregate() {
        assertEquals(new QueryModel.Step(500), parse("{\"cql\":\"x\",\"timeGroup\":\"500ms\"}").timeGroup());
        assertEquals(new QueryModel.Step(30_000), parse("{\"cql\":\"x\",\"timeGroup\":\" 30s \"}").timeGroup());
        assertEquals(new QueryModel.Step(86_400_000), parse("{\"cql\":\"x\",\"timeGroup\":\"1d\"}").timeGroup());
        assertEquals(new QueryModel.Step(2 * 7 * 86_400_000L), parse("{\"cql\":\"x\",\"timeGroup\":\"2w\"}").timeGroup());
        assertEquals(new QueryModel.Step(0), parse("{\"cql\":\"x\",\"timeGroup\":\"$__interval\"}").timeGroup());
        assertEquals(new QueryModel.Step(0), parse("{\"cql\":\"x\",\"timeGroup\":\"auto\"}").timeGroup());
        assertEquals(null, parse("{\"cql\":\"x\",\"timeGroup\":\"\"}").timeGroup());
        assertEquals(60_000_000_000L, new QueryModel.Step(0).nanos(60_000), "$__interval is the query's interval");
        assertEquals(1_000_000L, new QueryModel.Step(0).nanos(0), "an interval of 0 still makes a positive step");
        assertEquals(5_000_000_000L, new QueryModel.Step(5_000).nanos(60_000));
        for (String bad : new String[] {"5", "0s", "1.5m", "5 m", "1y", "-1s", "9999999999s"}) {
            assertEquals("query key 'timeGroup': \"" + bad + "\" is not a duration such as 500ms, 30s, 5m, 1h, 1d or $__interval",
                    error("{\"cql\":\"x\",\"timeGroup\":\"" + bad + "\"}"));
        }
        assertEquals("query key 'timeGroup': \"999999999w\" is longer than the 292 years Grafana's times span",
                error("{\"cql\":\"x\",\"timeGroup\":\"999999999w\"}"));
        assertEquals(new QueryModel.Step(15_000L * 7 * 86_400_000L), parse("{\"cql\":\"x\",\"timeGroup\":\"15000w\"}").timeGroup());
        assertEquals(Aggregate.AVG, parse("{\"cql\":\"x\"}").aggregate());
        assertEquals(Aggregate.LAST, parse("{\"cql\":\"x\",\"aggregate\":\"last\"}").aggregate());
        assertEquals("query key 'aggregate': \"median\" is not one of avg, min, max, sum, count, first, last",
                error("{\"cql\":\"x\",\"aggregate\":\"median\"}"));
    }

    @Test
    void fillModes() {
        assertEquals(Fill.NULL, parse("{\"cql\":\"x\",\"fill\":\"null\"}").fill());
        assertEquals(Fill.PREVIOUS, parse("{\"cql\":\"x\",\"fill\":\"Previous\"}").fill());
        assertEquals(Fill.NONE, parse("{\"cql\":\"x\",\"fill\":\"none\"}").fill());
        assertEquals("query key 'fill': \"zero\" is not one of none, null, previous, value", error("{\"cql\":\"x\",\"fill\":\"zero\"}"));
    }

    @Test
    void missingOrBlankCql() {
        assertEquals("the query has no CQL (key cql)", error("{}"));
        assertEquals("the query has no CQL (key cql)", error("{\"cql\":\"  \\n \"}"));
        assertEquals("the query has no CQL (key cql)", QueryModelTest.errorBytes(new byte[0]));
    }

    static String errorBytes(byte[] b) {
        return assertThrows(QueryException.class, () -> QueryModel.parse(b)).getMessage();
    }

    @Test
    void wrongTypesNameTheKey() {
        assertEquals("query key 'cql': expected a string, got number 5", error("{\"cql\":5}"));
        assertEquals("query key 'rowLimit': expected a whole number, got string \"10\"", error("{\"cql\":\"x\",\"rowLimit\":\"10\"}"));
        assertEquals("query key 'rowLimit': expected a whole number, got number 1.5", error("{\"cql\":\"x\",\"rowLimit\":1.5}"));
        assertEquals("query key 'rowLimit': must be at least 1, got 0", error("{\"cql\":\"x\",\"rowLimit\":0}"));
        assertEquals(10, parse("{\"cql\":\"x\",\"rowLimit\":10.0}").rowLimit());
        assertEquals("query key 'fillValue': expected a number, got string \"1\"", error("{\"cql\":\"x\",\"fillValue\":\"1\"}"));
        assertEquals("query key 'stream': expected true or false, got string \"yes\"", error("{\"cql\":\"x\",\"stream\":\"yes\"}"));
        assertEquals("query key 'timeColumn': expected a string, got array [\"a\"]", error("{\"cql\":\"x\",\"timeColumn\":[\"a\"]}"));
        assertEquals("query key 'streamIntervalMs': must be at least 250, got 100", error("{\"cql\":\"x\",\"streamIntervalMs\":100}"));
    }

    @Test
    void malformedJson() {
        String msg = error("{\"cql\":");
        assertEquals(true, msg.startsWith("the query is not valid JSON: "), msg);
        assertEquals("the query must be a JSON object", error("[1]"));
    }
}
