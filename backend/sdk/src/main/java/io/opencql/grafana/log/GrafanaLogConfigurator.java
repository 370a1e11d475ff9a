package io.opencql.grafana.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Logback configuration found through the service loader: everything to <em>stderr</em> (stdout belongs to
 * the go-plugin handshake) as Grafana JSON lines. Programmatic, so start-up does not parse XML. The level
 * comes from {@code GF_PLUGIN_LOG_LEVEL} (Grafana passes {@code [plugin.<id>] log_level} that way), default info;
 * chatty libraries are held at warn.
 */
public final class GrafanaLogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("grafana-stderr");
        appender.setTarget("System.err");
        GrafanaJsonEncoder encoder = new GrafanaJsonEncoder();
        encoder.setContext(context);
        encoder.start();
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(Level.toLevel(System.getenv("GF_PLUGIN_LOG_LEVEL"), Level.INFO));
        for (String noisy : new String[] {"io.grpc", "io.netty", "org.apache.arrow"}) {
            context.getLogger(noisy).setLevel(Level.WARN);
        }
        // a data source names its own chatty libraries (the SDK knows none of them) in QUIET_LOGGERS
        for (String noisy : quietLoggers()) {
            context.getLogger(noisy).setLevel(Level.WARN);
        }
        // netty reports a listener it could not run on an event loop that is shutting down at ERROR; at plugin
        // shutdown (sessions closing) that is expected and would read as a fault in Grafana's log
        for (String shutdownNoise : new String[] {"io.netty.util.concurrent.DefaultPromise.rejectedExecution",
                "io.grpc.netty.shaded.io.netty.util.concurrent.DefaultPromise.rejectedExecution"}) {
            context.getLogger(shutdownNoise).setLevel(Level.OFF);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Resource in which a module lists, one per line, logger names to hold at warn. */
    public static final String QUIET_LOGGERS = "META-INF/grafana-plugin/quiet-loggers";

    private static List<String> quietLoggers() {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> files = GrafanaLogConfigurator.class.getClassLoader().getResources(QUIET_LOGGERS);
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank() && !line.trim().startsWith("#")) {
                            names.add(line.trim());
                        }
                    }
                }
            }
        } catch (IOException e) {
            // logging is being set up: nothing to log to yet, and the default levels still apply
        }
        return names;
    }

    /** Makes sure logback is initialised (and so nothing of it prints to stdout). */
    public static void init() {
        LoggerFactory.getILoggerFactory();
    }
}
