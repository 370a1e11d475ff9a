package io.opencql.cql.internal.query;

import java.util.Map;

/**
 * The byte budget of one query's answer: grafana.ini's {@code [plugin.opencql-cql-datasource] max_response_mb},
 * which Grafana hands the plugin as {@code GF_PLUGIN_MAX_RESPONSE_MB}. A plugin-wide setting, not a data source's:
 * it protects the plugin's heap ({@code jvm_heap}, default 256 MiB), which every data source shares, and what
 * Grafana accepts in one message. The default, 32 MiB, leaves room for the frame, its Arrow encoding and the gRPC
 * message of a few such answers at once on the default heap.
 *
 * @param bytes the budget; {@link Long#MAX_VALUE}: none
 */
public record ResponseBudget(long bytes) {

    public static final String ENV = "GF_PLUGIN_MAX_RESPONSE_MB";
    public static final long DEFAULT_MB = 32;
    public static final ResponseBudget DEFAULT = new ResponseBudget(DEFAULT_MB << 20);

    /** The configured budget or the default; 0 turns it off. */
    public static ResponseBudget fromEnvironment(Map<String, String> env) {
        String v = env.get(ENV);
        if (v == null || v.isBlank()) {
            return DEFAULT;
        }
        long mb;
        try {
            mb = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            mb = -1;
        }
        if (mb < 0 || mb > (Long.MAX_VALUE >> 20)) {
            throw new IllegalArgumentException(ENV + " (grafana.ini [plugin.<id>] max_response_mb) must be a whole number of MiB,"
                    + " 0 for no limit, got \"" + v + "\"");
        }
        return new ResponseBudget(mb == 0 ? Long.MAX_VALUE : mb << 20);
    }

    /** "32 MiB", as the notice names it. */
    public String text() {
        return bytes == Long.MAX_VALUE ? "no limit" : (bytes >> 20) + " MiB";
    }
}
