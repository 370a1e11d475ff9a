package io.opencql.grafana.instance;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a data source instance may stay unused before {@link InstanceManager} closes it: Grafana's
 * {@code [plugin.<plugin id>] instance_idle_timeout} in grafana.ini, which Grafana hands the plugin process as the
 * environment variable {@code GF_PLUGIN_INSTANCE_IDLE_TIMEOUT}. A Go-style duration ({@code 10m}, {@code 90s},
 * {@code 1h30m}) or plain seconds; {@code 0} keeps instances until their settings change.
 */
public final class IdleTimeout {

    public static final String ENV = "GF_PLUGIN_INSTANCE_IDLE_TIMEOUT";
    public static final Duration DEFAULT = Duration.ofMinutes(10);
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private IdleTimeout() {
    }

    /** The configured timeout, or {@link #DEFAULT}; an unreadable value is refused with its variable's name. */
    public static Duration fromEnvironment(Map<String, String> env) {
        String v = env.get(ENV);
        return v == null || v.isBlank() ? DEFAULT : parse(v);
    }

    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        Duration d = Duration.ZERO;
        int at = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            at = m.end();
        }
        if (at != s.length() || s.isEmpty()) {
            throw new IllegalArgumentException(ENV + " (grafana.ini [plugin.<id>] instance_idle_timeout) must be a duration such as"
                    + " 10m, 90s or 0, got \"" + text + "\"");
        }
        return d;
    }
}
