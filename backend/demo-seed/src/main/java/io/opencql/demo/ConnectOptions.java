package io.opencql.demo;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where and how the CLI connects.
 *
 * @param localDatacenter the driver's local DC, or {@code null} to infer it from the first node reached
 * @param username        {@code null} for a node without authentication
 * @param waitFor         how long to keep retrying while the node is still starting
 */
public record ConnectOptions(
        List<InetSocketAddress> contactPoints,
        String localDatacenter,
        String username,
        String password,
        Duration waitFor) {

    public static final int DEFAULT_PORT = 9042;

    public ConnectOptions {
        contactPoints = List.copyOf(contactPoints);
        if (contactPoints.isEmpty()) {
            throw new IllegalArgumentException("at least one contact point");
        }
        Objects.requireNonNull(waitFor, "waitFor");
    }

    @Override
    public String toString() {
        return "ConnectOptions[contactPoints=" + contactPoints + ", localDatacenter=" + localDatacenter
                + ", username=" + username + ", password=" + (password == null ? "null" : "***")
                + ", waitFor=" + waitFor + "]";
    }

    /** Parses {@code host[:port][,host[:port]...]}; IPv6 literals go in brackets: {@code [::1]:9042}. */
    public static List<InetSocketAddress> parseContactPoints(String text, int defaultPort) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String raw : text.split(",")) {
            String s = raw.strip();
            if (s.isEmpty()) {
                continue;
            }
            String host = s;
            int port = defaultPort;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in contact point " + s);
                }
                host = s.substring(1, close);
                if (close + 1 < s.length()) {
                    if (s.charAt(close + 1) != ':') {
                        throw new IllegalArgumentException("expected ':port' after ']' in " + s);
                    }
                    port = port(s.substring(close + 2), s);
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = port(s.substring(s.indexOf(':') + 1), s);
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host in contact point " + s);
            }
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no contact point in '" + text + "'");
        }
        return out;
    }

    private static int port(String text, String whole) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in contact point " + whole);
        }
    }
}
