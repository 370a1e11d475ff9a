package io.opencql.grafana.transport;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.log.GrafanaLogConfigurator;
import io.opencql.grafana.metrics.PluginMetrics;
import io.opencql.grafana.middleware.HandlerChain;
import io.opencql.grafana.transport.proto.pluginv2.DataGrpc;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Plugin} the way Grafana expects a backend plugin process to behave (go-plugin handshake,
 * pluginv2 over gRPC on loopback): check the magic cookie, listen, print the handshake line on stdout — the
 * only thing ever written there — and serve until GRPCController/Shutdown, SIGTERM or the death of the process
 * that started it (a killed Grafana leaves no orphan, see {@link ParentWatch}). SIGINT is ignored, as
 * go-plugin plugins do, so Ctrl-C in Grafana's terminal does not kill the plugin before Grafana.
 */
public final class PluginServer {

    public static final String COOKIE_KEY = "grafana_plugin_type";
    public static final String COOKIE_VALUE = "datasource";
    public static final int CORE_PROTOCOL = 1;
    public static final int APP_PROTOCOL = 2;
    static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;
    private static final String NO_NATIVE = "io.grpc.netty.shaded.io.netty.transport.noNative";

    /**
     * The methods whose calls start on Netty's event loop instead of the call executor: gRPC's health Check (a map
     * lookup in grpc-java's own service) and QueryData, whose service answers only requests of self-tests there and
     * hands every other request to the call executor itself ({@link DataService}). Nothing that can block may run
     * on the event loop: it reads and writes every call of Grafana's one connection. Every other method (Save &amp;
     * test, which opens a session; resources; streams; metrics; go-plugin's services) runs on the call executor.
     */
    static final Set<String> ON_EVENT_LOOP = Set.of(
            HealthGrpc.getCheckMethod().getFullMethodName(),
            DataGrpc.getQueryDataMethod().getFullMethodName());

    private static final Logger LOG = LoggerFactory.getLogger(PluginServer.class);

    private final Plugin plugin;
    private final PluginMetrics metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final GoPluginServices.Stdio stdio = new GoPluginServices.Stdio();
    private Server server;
    private ExecutorService executor;

    public PluginServer(Plugin plugin, PluginMetrics metrics) {
        this.plugin = plugin;
        this.metrics = metrics;
    }

    /**
     * The whole process contract: returns the exit code. Call from {@code main} as
     * {@code System.exit(PluginServer.serve(plugin, metrics))}.
     */
    public static int serve(Plugin plugin, PluginMetrics metrics) {
        // stdout is the handshake's alone: keep the real stream for it, and send anything a library prints
        // to System.out to stderr instead, where Grafana logs it
        PrintStream handshake = System.out;
        System.setOut(System.err);
        if (!COOKIE_VALUE.equals(System.getenv(COOKIE_KEY))) {
            System.err.println("This binary is a plugin. These are not meant to be executed directly. "
                    + "Please execute the program that consumes these plugins, which will load any plugins "
                    + "automatically (Grafana starts it with " + COOKIE_KEY + "=" + COOKIE_VALUE + ").");
            return 1;
        }
        String versions = System.getenv("PLUGIN_PROTOCOL_VERSIONS");
        if (versions != null && !versions.isBlank()
                && Arrays.stream(versions.split(",")).map(String::trim).noneMatch(v -> v.equals(String.valueOf(APP_PROTOCOL)))) {
            System.err.println("This plugin speaks plugin protocol " + APP_PROTOCOL + "; the host offers only " + versions
                    + ". Use Grafana 7 or newer.");
            return 1;
        }
        System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        // Netty's NIO transport, not epoll: the epoll library is copied out of the jar into the temp folder and
        // loaded on every start (a tenth of the time to the handshake, docs/performance.md), and one loopback
        // connection from Grafana gains nothing from it. A -D on the command line still decides.
        if (System.getProperty(NO_NATIVE) == null) {
            System.setProperty(NO_NATIVE, "true");
        }
        GrafanaLogConfigurator.init();
        PluginServer s = new PluginServer(plugin, metrics);
        try {
            int port = s.start();
            handshake.print(CORE_PROTOCOL + "|" + APP_PROTOCOL + "|tcp|127.0.0.1:" + port + "|grpc|\n");
            handshake.flush();
            LOG.atInfo().addKeyValue("port", port).log("plugin listening");
        } catch (Exception e) {
            LOG.atError().setCause(e).log("plugin could not start: {}", e.toString());
            return 1;
        }
        s.installSignalHandlers();
        ParentWatch.start(s::stopSoon);
        s.awaitStop();
        return 0;
    }

    /** Starts listening on 127.0.0.1 (an ephemeral port) and returns the port. */
    public int start() throws java.io.IOException {
        AtomicInteger n = new AtomicInteger();
        // handlers run here, not on Netty's event loop (but ON_EVENT_LOOP's). Unbounded, as a stream holds its
        // thread for its life and every panel of a dashboard is a call of its own; idle threads are kept for 5 minutes (not the
        // usual 60 s) so that a dashboard refreshed every minute or so finds them, instead of starting ~20
        // threads, each with its own Netty buffer cache, on every refresh
        executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.MINUTES, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "plugin-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // the one place the handlers get their middleware (metrics, log, every refId, error sources, answers to a throw)
        HandlerChain chain = HandlerChain.standard(metrics);
        Plugin served = chain.around(plugin);
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("plugin", ServingStatus.SERVING);
        health.setStatus("", ServingStatus.SERVING);
        TenantInterceptor tenant = new TenantInterceptor();
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                // gRPC first looks the method up on the default executor, then moves the call to the one
                // callExecutor names: with the event loop as the default, a call of ON_EVENT_LOOP never changes
                // threads, and any other call makes the one hand-off it always made. (The default executor also
                // runs a cancelled call's Context listeners: ours only flag, interrupt or cancel futures.)
                // callExecutor is experimental in grpc-java (issue 8274) but unchanged since 1.39.
                .directExecutor()
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata headers) {
                        return ON_EVENT_LOOP.contains(call.getMethodDescriptor().getFullMethodName()) ? null : executor;
                    }
                })
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .addService(health.getHealthService())
                .addService(new GoPluginServices.Controller(this::stopSoon))
                .addService(stdio)
                .addService(new GoPluginServices.Broker())
                .addService(ServerInterceptors.intercept(new DiagnosticsService(served.checkHealth(), metrics, chain), tenant));
        if (served.queryData() != null) {
            b.addService(ServerInterceptors.intercept(new DataService(served.queryData(), executor), tenant));
        }
        if (served.callResource() != null) {
            b.addService(ServerInterceptors.intercept(new ResourceService(served.callResource()), tenant));
        }
        if (served.stream() != null) {
            b.addService(ServerInterceptors.intercept(new StreamService(served.stream()), tenant));
        }
        server = b.build().start();
        return server.getPort();
    }

    private void installSignalHandlers() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> LOG.debug("ignoring SIGINT, as go-plugin plugins do"));
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> {
                LOG.info("SIGTERM received, stopping");
                stopSoon();
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot install signal handlers: {}", e.toString());
        }
    }

    /** Stops serving on another thread so the Shutdown RPC can answer first; the process exits in well under 2 s. */
    public void stopSoon() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            // the host waits 2 s before SIGKILL; make sure nothing we wait for can keep us longer
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    LOG.warn("shutdown took too long; halting");
                    Runtime.getRuntime().halt(0);
                } catch (InterruptedException ignored) {
                    // finished in time
                }
            }, "shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                stdio.closeAll();
                server.shutdown();
                if (plugin.onShutdown() != null) {
                    plugin.onShutdown().run();
                }
                server.awaitTermination(300, TimeUnit.MILLISECONDS);
                server.shutdownNow();
            } catch (Exception e) {
                LOG.warn("error while stopping: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }, "plugin-shutdown");
        t.start();
    }

    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return server.getPort();
    }
}
