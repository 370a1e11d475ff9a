package io.opencql.demo;

import java.time.Duration;
import java.util.Map;

/**
 * Command line of {@code demo-seed}. Every option also has an environment variable (the flag wins), so the
 * Docker Compose file can configure it the same way as Grafana.
 */
record CliArgs(ConnectOptions connect, SeedOptions seed, boolean follow, Duration followInterval, boolean help) {

    static final String USAGE = """
            Usage: java -jar demo-seed-<version>-all.jar [options]
            Creates keyspace 'demo' (tables sensors, sensor_readings, events, all_types, page_hits) and fills it.

              --contact-points H[:P],...   nodes to contact          env CQL_CONTACT_POINTS (default 127.0.0.1:9042)
              --local-dc NAME              driver local datacenter   env CQL_LOCAL_DC (default: inferred)
              --username NAME              user name                 env CQL_USERNAME (default: no authentication)
              --password PASS              password                  env CQL_PASSWORD
              --keyspace NAME              keyspace to fill          env DEMO_KEYSPACE (default demo)
              --hours N                    history of readings       env DEMO_HOURS (default 6)
              --step-seconds N             reading interval          env DEMO_STEP_SECONDS (default 60)
              --sensors N                  8 built-in, more are synthetic  env DEMO_SENSORS (default 8)
              --concurrency N              writes in flight          env DEMO_CONCURRENCY (default 32)
              --drop                       drop the keyspace first   env DEMO_DROP=true
              --follow                     then keep writing live readings until stopped  env DEMO_FOLLOW=true
              --follow-interval-seconds N  live write interval       env DEMO_FOLLOW_INTERVAL_SECONDS (default 5)
              --wait-seconds N             retry connecting while the node starts  env DEMO_WAIT_SECONDS (default 120)
              --help
            """;

    static CliArgs parse(String[] args, Map<String, String> env) {
        String contactPoints = env.getOrDefault("CQL_CONTACT_POINTS", "127.0.0.1:9042");
        String localDc = blankToNull(env.get("CQL_LOCAL_DC"));
        String username = blankToNull(env.get("CQL_USERNAME"));
        String password = env.get("CQL_PASSWORD");
        String keyspace = env.getOrDefault("DEMO_KEYSPACE", SeedOptions.DEFAULT_KEYSPACE);
        double hours = number(env.getOrDefault("DEMO_HOURS", "6"), "DEMO_HOURS");
        double stepSeconds = number(env.getOrDefault("DEMO_STEP_SECONDS", "60"), "DEMO_STEP_SECONDS");
        int sensors = (int) number(env.getOrDefault("DEMO_SENSORS", "8"), "DEMO_SENSORS");
        int concurrency = (int) number(env.getOrDefault("DEMO_CONCURRENCY",
                String.valueOf(SeedOptions.DEFAULT_CONCURRENCY)), "DEMO_CONCURRENCY");
        boolean drop = Boolean.parseBoolean(env.getOrDefault("DEMO_DROP", "false"));
        boolean follow = Boolean.parseBoolean(env.getOrDefault("DEMO_FOLLOW", "false"));
        double followSeconds = number(env.getOrDefault("DEMO_FOLLOW_INTERVAL_SECONDS", "5"),
                "DEMO_FOLLOW_INTERVAL_SECONDS");
        double waitSeconds = number(env.getOrDefault("DEMO_WAIT_SECONDS", "120"), "DEMO_WAIT_SECONDS");
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--drop" -> drop = true;
                case "--follow" -> follow = true;
                default -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("missing value for " + a);
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--contact-points", "--contact-point" -> contactPoints = value;
                        case "--local-dc" -> localDc = blankToNull(value);
                        case "--username" -> username = blankToNull(value);
                        case "--password" -> password = value;
                        case "--keyspace" -> keyspace = value;
                        case "--hours" -> hours = number(value, a);
                        case "--step-seconds" -> stepSeconds = number(value, a);
                        case "--sensors" -> sensors = (int) number(value, a);
                        case "--concurrency" -> concurrency = (int) number(value, a);
                        case "--follow-interval-seconds" -> followSeconds = number(value, a);
                        case "--wait-seconds" -> waitSeconds = number(value, a);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (username != null && password == null) {
            throw new IllegalArgumentException("a user name needs a password (--password or CQL_PASSWORD)");
        }
        if (followSeconds < 0.1) {
            throw new IllegalArgumentException("follow interval must be at least 0.1 s");
        }
        ConnectOptions connect = new ConnectOptions(
                ConnectOptions.parseContactPoints(contactPoints, ConnectOptions.DEFAULT_PORT),
                localDc, username, password, seconds(waitSeconds));
        SeedOptions seed = new SeedOptions(keyspace, seconds(hours * 3600), seconds(stepSeconds), sensors, null,
                concurrency, drop);
        return new CliArgs(connect, seed, follow, seconds(followSeconds), help);
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static double number(String text, String name) {
        try {
            double d = Double.parseDouble(text.strip());
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a non-negative number: '" + text + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
