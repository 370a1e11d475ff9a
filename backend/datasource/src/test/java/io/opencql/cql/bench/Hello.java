package io.opencql.cql.bench;

/**
 * The end-to-end benchmark's yardstick for start-up: a JVM hello-world, started with the launcher's flags, to
 * which the plugin's exec → handshake time is compared (what the JVM costs before any of our code runs).
 */
public final class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
