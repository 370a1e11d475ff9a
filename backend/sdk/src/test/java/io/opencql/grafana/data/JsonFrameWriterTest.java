package io.opencql.grafana.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opencql.grafana.data.JsonFrameWriter.Include;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonFrameWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Numbers compare by value (1 == 1.0: Java writes doubles as 1.0, Go as 1); everything else exactly. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private static String write(Frame frame, Include include) {
        try (frame) {
            return new String(JsonFrameWriter.write(frame, include), StandardCharsets.UTF_8);
        }
    }

    private static void assertJson(String expected, String actual) throws IOException {
        JsonNode e = JSON.readTree(expected);
        JsonNode a = JSON.readTree(actual);
        assertTrue(e.equals(BY_VALUE, a), "expected\n" + e.toPrettyString() + "\nbut was\n" + a.toPrettyString());
    }

    private static Frame cpuFrame() {
        Frame f = new Frame("cpu", "A", FrameMeta.empty().withExecutedQueryString("SELECT 1"));
        Field t = f.addField("time", FieldType.TIME, false);
        t.appendLong(1_700_000_000_000_000_000L);
        t.appendLong(1_700_000_001_000_250_000L); // 250 µs past the millisecond
        Field v = f.addField("value", FieldType.FLOAT64, true)
                .setLabels(Map.of("host", "a"))
                .setConfig(FieldConfig.EMPTY.withUnit("ms"));
        v.appendDouble(1.5);
        v.appendNull();
        Field s = f.addField("state", FieldType.STRING, false);
        s.appendString("ok");
        s.appendString("say \"hi\"\n");
        return f;
    }

    @Test
    void schemaAndDataWithNanos() throws IOException {
        assertJson("""
                {"schema":{"name":"cpu","refId":"A",
                           "meta":{"typeVersion":[0,0],"executedQueryString":"SELECT 1"},
                           "fields":[
                             {"name":"time","type":"time","typeInfo":{"frame":"time.Time"}},
                             {"name":"value","type":"number","typeInfo":{"frame":"float64","nullable":true},
                              "labels":{"host":"a"},"config":{"unit":"ms"}},
                             {"name":"state","type":"string","typeInfo":{"frame":"string"}}]},
                 "data":{"values":[[1700000000000,1700000001000],[1.5,null],["ok","say \\"hi\\"\\n"]],
                         "nanos":[[0,250000],null,null]}}
                """, write(cpuFrame(), Include.ALL));
    }

    @Test
    void schemaOnlyAndDataOnlySplitTheMessage() throws IOException {
        String schemaOnly = write(cpuFrame(), Include.SCHEMA_ONLY);
        String dataOnly = write(cpuFrame(), Include.DATA_ONLY);
        JsonNode s = JSON.readTree(schemaOnly);
        JsonNode d = JSON.readTree(dataOnly);
        assertEquals(List.of("schema"), fieldNames(s));
        assertEquals(List.of("data"), fieldNames(d));
        assertJson("""
                {"data":{"values":[[1700000000000,1700000001000],[1.5,null],["ok","say \\"hi\\"\\n"]],
                         "nanos":[[0,250000],null,null]}}
                """, dataOnly);
        // both halves together are the full message
        JsonNode all = JSON.readTree(write(cpuFrame(), Include.ALL));
        assertEquals(all.get("schema"), s.get("schema"));
        assertEquals(all.get("data"), d.get("data"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void specialFloatsGoToEntitiesAndNoNanosWithoutSubMillisecondTimes() throws IOException {
        Frame f = new Frame("");
        Field t = f.addField("t", FieldType.TIME, false);
        for (int i = 0; i < 5; i++) {
            t.appendLong(i * 1_000_000L); // whole milliseconds
        }
        Field d = f.addField("d", FieldType.FLOAT64, true);
        d.appendDouble(Double.NaN);
        d.appendDouble(1);
        d.appendDouble(Double.POSITIVE_INFINITY);
        d.appendDouble(Double.NEGATIVE_INFINITY);
        d.appendNull();
        Field s = f.addField("s", FieldType.FLOAT32, false);
        s.appendDouble(Float.NEGATIVE_INFINITY);
        s.appendDouble(2.5);
        s.appendDouble(0.1f);
        s.appendDouble(Float.NaN);
        s.appendDouble(-0.0);
        Field i = f.addField("i", FieldType.INT32, false);
        for (int k = 0; k < 5; k++) {
            i.appendLong(k - 2);
        }
        String out = write(f, Include.DATA_ONLY);
        assertJson("""
                {"data":{"values":[[0,1,2,3,4],[null,1,null,null,null],[null,2.5,0.1,null,-0.0],[-2,-1,0,1,2]],
                         "entities":[null,{"NaN":[0],"Inf":[2],"NegInf":[3]},{"NaN":[3],"NegInf":[0]},null]}}
                """, out);
        assertFalse(JSON.readTree(out).get("data").has("nanos"), out);
        assertTrue(out.contains("0.1,"), "float32 keeps its own shortest digits, not 0.10000000149011612: " + out);
    }

    @Test
    void noEntitiesKeyWhenAllFloatsAreFinite() throws IOException {
        JsonNode data = JSON.readTree(write(cpuFrame(), Include.DATA_ONLY)).get("data");
        assertFalse(data.has("entities"));
    }

    @Test
    void timesBeforeTheEpochKeepANonNegativeNanosecondRemainder() throws IOException {
        Frame f = new Frame("");
        Field t = f.addField("t", FieldType.TIME, true);
        t.appendLong(-1L); // 1969-12-31T23:59:59.999999999Z
        t.appendNull();
        t.appendLong(-1_000_000L);
        assertJson("""
                {"data":{"values":[[-1,null,-1]],"nanos":[[999999,0,0]]}}
                """, write(f, Include.DATA_ONLY));
    }

    @Test
    void everyFieldTypeOfTheSelfTestFrame() throws IOException {
        String out = write(SelfTestFrame.create().withRefId("A"), Include.ALL);
        assertJson("""
                {"schema":{"name":"selftest","refId":"A",
                  "meta":{"typeVersion":[0,0],"preferredVisualisationType":"table","executedQueryString":"selftest",
                          "notices":[{"severity":"info","text":"protocol self-test"}]},
                  "fields":[
                   {"name":"int8","type":"number","typeInfo":{"frame":"int8"}},
                   {"name":"int16","type":"number","typeInfo":{"frame":"int16"}},
                   {"name":"int32","type":"number","typeInfo":{"frame":"int32"}},
                   {"name":"int64","type":"number","typeInfo":{"frame":"int64"}},
                   {"name":"uint8","type":"number","typeInfo":{"frame":"uint8"}},
                   {"name":"uint16","type":"number","typeInfo":{"frame":"uint16"}},
                   {"name":"uint32","type":"number","typeInfo":{"frame":"uint32"}},
                   {"name":"uint64","type":"number","typeInfo":{"frame":"uint64"}},
                   {"name":"float32","type":"number","typeInfo":{"frame":"float32"}},
                   {"name":"float64","type":"number","typeInfo":{"frame":"float64"}},
                   {"name":"bool","type":"boolean","typeInfo":{"frame":"bool"}},
                   {"name":"string","type":"string","typeInfo":{"frame":"string"}},
                   {"name":"time","type":"time","typeInfo":{"frame":"time.Time"}},
                   {"name":"json","type":"other","typeInfo":{"frame":"json.RawMessage"}},
                   {"name":"enum","type":"enum","typeInfo":{"frame":"enum"},
                    "config":{"type":{"enum":{"text":["low","mid","high"]}}}},
                   {"name":"int8_nullable","type":"number","typeInfo":{"frame":"int8","nullable":true}},
                   {"name":"int16_nullable","type":"number","typeInfo":{"frame":"int16","nullable":true}},
                   {"name":"int32_nullable","type":"number","typeInfo":{"frame":"int32","nullable":true}},
                   {"name":"int64_nullable","type":"number","typeInfo":{"frame":"int64","nullable":true}},
                   {"name":"uint8_nullable","type":"number","typeInfo":{"frame":"uint8","nullable":true}},
                   {"name":"uint16_nullable","type":"number","typeInfo":{"frame":"uint16","nullable":true}},
                   {"name":"uint32_nullable","type":"number","typeInfo":{"frame":"uint32","nullable":true}},
                   {"name":"uint64_nullable","type":"number","typeInfo":{"frame":"uint64","nullable":true}},
                   {"name":"float32_nullable","type":"number","typeInfo":{"frame":"float32","nullable":true}},
                   {"name":"float64_nullable","type":"number","typeInfo":{"frame":"float64","nullable":true}},
                   {"name":"bool_nullable","type":"boolean","typeInfo":{"frame":"bool","nullable":true}},
                   {"name":"string_nullable","type":"string","typeInfo":{"frame":"string","nullable":true}},
                   {"name":"time_nullable","type":"time","typeInfo":{"frame":"time.Time","nullable":true}},
                   {"name":"json_nullable","type":"other","typeInfo":{"frame":"json.RawMessage","nullable":true}},
                   {"name":"enum_nullable","type":"enum","typeInfo":{"frame":"enum","nullable":true},
                    "config":{"type":{"enum":{"text":["low","mid","high"]}}}},
                   {"name":"value","type":"number","typeInfo":{"frame":"float64"},
                    "labels":{"dc":"x","host":"a"},"config":{"displayName":"Latency","unit":"ms"}}]},
                 "data":{"values":[
                   [-128,0,127],[-32768,0,32767],[-2147483648,0,2147483647],
                   [-9223372036854775808,0,9223372036854775807],
                   [0,1,255],[0,1,65535],[0,1,4294967295],[0,1,18446744073709551615],
                   [1.5,-0.25,3.4028235E38],[0.1,-2.5,1e300],[true,false,true],["a","ünïcödé",""],
                   [1704164645123,0,2147483648000],[{"a":1},[1,2],"x"],[0,1,2],
                   [-128,null,127],[-32768,null,32767],[-2147483648,null,2147483647],
                   [-9223372036854775808,null,9223372036854775807],
                   [0,null,255],[0,null,65535],[0,null,4294967295],[0,null,18446744073709551615],
                   [1.5,null,3.4028235E38],[0.1,null,1e300],[true,null,true],["a",null,""],
                   [1704164645123,null,2147483648000],[{"a":1},null,"x"],[0,null,2],
                   [1,2,3]],
                  "nanos":[null,null,null,null,null,null,null,null,null,null,null,null,[456789,0,0],null,null,
                           null,null,null,null,null,null,null,null,null,null,null,null,[456789,0,0],null,null,
                           null]}}
                """, out);
        // a bare unsigned number, not a string and not the signed -1
        assertTrue(out.contains("[0,1,18446744073709551615]"), out);
        // raw JSON is embedded, not quoted
        assertTrue(out.contains("[{\"a\":1},[1,2],\"x\"]"), out);
    }

    @Test
    void emptyOrBlankJsonValuesBecomeNull() throws IOException {
        Frame f = new Frame("");
        Field j = f.addField("j", FieldType.JSON, false);
        j.appendString("");
        j.appendString(" {\"k\": [1, null]} ");
        assertJson("""
                {"data":{"values":[[null,{"k":[1,null]}]]}}
                """, write(f, Include.DATA_ONLY));
    }

    @Test
    void frameWithoutFieldsOrName() throws IOException {
        assertJson("""
                {"schema":{"fields":[]},"data":{"values":[]}}
                """, write(new Frame(null), Include.ALL));
    }

    @Test
    void unequalFieldLengthsAreRejectedBeforeWriting() {
        Frame f = new Frame("bad");
        f.addField("a", FieldType.INT64, false).appendLong(1);
        f.addField("b", FieldType.INT64, false);
        assertThrows(IllegalStateException.class, () -> write(f, Include.ALL));
    }
}
