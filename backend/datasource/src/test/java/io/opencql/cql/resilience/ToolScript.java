package io.opencql.cql.resilience;

import io.opencql.cql.testing.TestNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the repository's {@code tools/*.sh} node scripts, with extra environment, and says what it printed. */
final class ToolScript {

    private ToolScript() {
    }

    /** The repository's root: the first parent of the working directory that holds {@code tools/cassandra-node.sh}. */
    static Path root() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/cassandra-node.sh"))) {
                return p;
            }
        }
        throw new AssertionError("tools/cassandra-node.sh not found above " + System.getProperty("user.dir"));
    }

    /** Exit code and output of {@code bash tools/<script> args...}; a start may take minutes on a loaded machine. */
    static Result run(String script, Map<String, String> env, String... args) {
        try {
            String[] cmd = new String[args.length + 2];
            cmd[0] = "bash";
            cmd[1] = root().resolve("tools").resolve(script).toString();
            System.arraycopy(args, 0, cmd, 2, args.length);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " " + String.join(" ", args) + " hung: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + script + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + script, e);
        }
    }

    /** Like {@link #run}, failing the test when the script does. */
    static String ok(String script, Map<String, String> env, String... args) {
        Result r = run(script, env, args);
        if (r.code() != 0) {
            throw new AssertionError(script + " " + String.join(" ", args) + " failed (" + r.code() + "): " + r.output());
        }
        System.err.println(script + " " + String.join(" ", args) + ": " + r.output());
        return r.output();
    }

    static boolean portOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A test setting (system property, else environment). */
    static String setting(String name, String fallback) {
        return TestNode.setting(name, fallback);
    }

    record Result(int code, String output) {
    }
}
