package io.opencql.grafana.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class GrafanaJsonEncoderTest {

    @Test
    void oneJsonLineWithGrafanasKeysAndSixFractionalDigits() throws Exception {
        LoggerContext lc = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        LoggingEvent e = new LoggingEvent("x", lc.getLogger("io.opencql.cql.Query"), Level.WARN, "rows {}", null, new Object[] {42});
        e.setInstant(Instant.parse("2025-03-01T10:11:12.1Z"));
        e.setKeyValuePairs(List.of(new KeyValuePair("refId", "A")));
        byte[] line = new GrafanaJsonEncoder().encode(e);
        String s = new String(line, StandardCharsets.UTF_8);
        assertTrue(s.endsWith("\n") && s.indexOf('\n') == s.length() - 1, "exactly one line");
        JsonNode n = new ObjectMapper().readTree(s);
        assertEquals("warn", n.get("@level").asText());
        assertEquals("rows 42", n.get("@message").asText());
        assertEquals("2025-03-01T10:11:12.100000Z", n.get("@timestamp").asText());
        assertEquals("A", n.get("refId").asText());
        assertEquals("Query", n.get("@module").asText());
    }

    @Test
    void levelsAreGrafanasNames() {
        assertEquals("trace", GrafanaJsonEncoder.level(Level.TRACE));
        assertEquals("debug", GrafanaJsonEncoder.level(Level.DEBUG));
        assertEquals("info", GrafanaJsonEncoder.level(Level.INFO));
        assertEquals("warn", GrafanaJsonEncoder.level(Level.WARN));
        assertEquals("error", GrafanaJsonEncoder.level(Level.ERROR));
    }

    @Test
    void exceptionsBecomeAnErrorField() throws Exception {
        LoggerContext lc = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        LoggingEvent e = new LoggingEvent("x", lc.getLogger("a.B"), Level.ERROR, "failed", new IllegalStateException("bad\nthing"), null);
        String s = new String(new GrafanaJsonEncoder().encode(e), StandardCharsets.UTF_8);
        assertEquals(1, s.split("\n").length, "stack traces stay inside the one JSON line");
        JsonNode n = new ObjectMapper().readTree(s);
        assertEquals("java.lang.IllegalStateException: bad\nthing", n.get("error").asText());
    }
}
