package io.opencql.grafana.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line in the shape Grafana parses from a plugin's stderr: {@code @level} (trace, debug,
 * info, warn, error), {@code @message}, {@code @timestamp} with exactly six fractional digits, and every
 * other key (SLF4J key/value pairs, MDC, {@code @module}, {@code error}) as a field of the Grafana log entry.
 */
final class GrafanaJsonEncoder extends EncoderBase<ILoggingEvent> {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NONE = new byte[0];

    static String level(Level level) {
        return switch (level.toInt()) {
            case Level.TRACE_INT -> "trace";
            case Level.DEBUG_INT -> "debug";
            case Level.INFO_INT -> "info";
            case Level.WARN_INT -> "warn";
            default -> "error";
        };
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@level", level(event.getLevel()));
            g.writeStringField("@message", event.getFormattedMessage());
            g.writeStringField("@timestamp", timestamp(event.getInstant()));
            g.writeStringField("@module", shortName(event.getLoggerName()));
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    if (kv.key != null && !kv.key.startsWith("@")) {
                        g.writeStringField(kv.key, String.valueOf(kv.value));
                    }
                }
            }
            for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
                if (!e.getKey().startsWith("@")) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
            }
            IThrowableProxy t = event.getThrowableProxy();
            if (t != null) {
                g.writeStringField("error", t.getClassName() + ": " + t.getMessage());
                g.writeStringField("stack", ThrowableProxyUtil.asString(t));
            }
            g.writeEndObject();
        } catch (IOException e) {
            return ("{\"@level\":\"error\",\"@message\":\"log encoding failed\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static String shortName(String logger) {
        if (logger == null) {
            return "";
        }
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
