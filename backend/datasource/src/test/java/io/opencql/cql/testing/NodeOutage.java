package io.opencql.cql.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Takes the test node away and brings it back, for tests of what survives a database outage.
 *
 * <ul>
 *   <li>When the node is the one {@code tools/cassandra-node.sh} runs ({@code CASS_DIR}, {@code CASS_PORT},
 *       {@code CASS_STORAGE_PORT} in the environment or as system properties, as {@code tools/test.sh} exports them,
 *       and {@code CASS_PORT} is the test node's port): the real thing, {@code stop} then {@code start}.</li>
 *   <li>Otherwise (an external node, a container): a TCP proxy in front of the node that drops every connection
 *       and refuses new ones while "down". The data source must then connect through {@link #contactPoint()}.</li>
 * </ul>
 */
public abstract class NodeOutage implements AutoCloseable {

    /** What the data source should connect to: {@code host:port}. */
    public abstract String contactPoint();

    public abstract void down() throws Exception;

    public abstract void up() throws Exception;

    public abstract String describe();

    @Override
    public void close() throws Exception {
    }

    public static NodeOutage forNode(TestNode node) throws IOException {
        String dir = TestNode.setting("CASS_DIR", null);
        String port = TestNode.setting("CASS_PORT", null);
        Path script = findScript();
        if (dir != null && port != null && script != null && Integer.parseInt(port) == node.port()) {
            return new Script(node, script, Map.of("CASS_DIR", dir, "CASS_PORT", port,
                    "CASS_STORAGE_PORT", TestNode.setting("CASS_STORAGE_PORT", "17000")));
        }
        return new Proxy(new InetSocketAddress(node.host(), node.port()));
    }

    private static Path findScript() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("tools/cassandra-node.sh");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        return null;
    }

    /** The node of tools/cassandra-node.sh, stopped and started for real. */
    static final class Script extends NodeOutage {
        private final TestNode node;
        private final Path script;
        private final Map<String, String> env;

        Script(TestNode node, Path script, Map<String, String> env) {
            this.node = node;
            this.script = script;
            this.env = env;
        }

        @Override
        public String contactPoint() {
            return node.contactPoint();
        }

        @Override
        public void down() throws Exception {
            run("stop");
        }

        @Override
        public void up() throws Exception {
            run("start");
        }

        @Override
        public String describe() {
            return "tools/cassandra-node.sh stop/start " + env;
        }

        private void run(String command) throws Exception {
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(240, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("cassandra-node.sh " + command + " failed: " + out);
            }
            System.err.println("cassandra-node.sh " + command + ": " + out.trim());
        }
    }

    /** A TCP proxy that can cut every connection and refuse new ones. */
    static final class Proxy extends NodeOutage {
        private final InetSocketAddress target;
        private final int port;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private volatile ServerSocket server;
        private final List<Thread> threads = new ArrayList<>();

        Proxy(InetSocketAddress target) throws IOException {
            this.target = target;
            ServerSocket s = listen(0);
            this.port = s.getLocalPort();
            accept(s);
        }

        private static ServerSocket listen(int port) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return s;
        }

        private void accept(ServerSocket s) {
            server = s;
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try {
                        Socket client = s.accept();
                        Socket upstream = new Socket();
                        upstream.connect(target, 5000);
                        open.add(client);
                        open.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        // closed: down() or close()
                    }
                }
            }, "outage-proxy-accept");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16384];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        out.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // a side closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "outage-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        private void closeQuietly(Socket s) {
            open.remove(s);
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public String contactPoint() {
            return "127.0.0.1:" + port;
        }

        @Override
        public synchronized void down() throws IOException {
            server.close();
            for (Socket s : open) {
                closeQuietly(s);
            }
        }

        @Override
        public synchronized void up() throws IOException {
            if (server.isClosed()) {
                accept(listen(port));
            }
        }

        @Override
        public String describe() {
            return "TCP proxy 127.0.0.1:" + port + " -> " + target + " (no CASS_DIR/CASS_PORT of a tools/cassandra-node.sh node)";
        }

        @Override
        public void close() throws IOException {
            down();
        }
    }
}
