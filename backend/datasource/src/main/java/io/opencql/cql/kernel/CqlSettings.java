package io.opencql.cql.kernel;

import java.time.Duration;
import java.util.List;

/**
 * A data source's parsed settings (README "Configuration" is the contract; every key documented there maps
 * to a component here). Secrets are held as given and never appear in {@link #toString()}.
 */
public record CqlSettings(
        List<ContactPoint> contactPoints,
        String keyspace,
        String localDatacenter,
        String consistency,
        Duration connectTimeout,
        Duration queryTimeout,
        int pageSize,
        long rowLimit,
        boolean readOnly,
        Tls tls,
        String username,
        String password) {

    public static final int DEFAULT_PORT = 9042;
    public static final String DEFAULT_CONSISTENCY = "LOCAL_ONE";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_PAGE_SIZE = 5000;
    public static final long DEFAULT_ROW_LIMIT = 1_000_000;

    public record ContactPoint(String host, int port) {
        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /** TLS material is PEM text from secureJsonData; null when not given. */
    public record Tls(boolean enabled, String caCert, String clientCert, String clientKey, String serverName, boolean skipVerify) {
        public static final Tls OFF = new Tls(false, null, null, null, null, false);

        @Override
        public String toString() {
            return "Tls[enabled=" + enabled + ", caCert=" + (caCert != null) + ", clientCert=" + (clientCert != null)
                    + ", clientKey=" + (clientKey != null) + ", serverName=" + serverName + ", skipVerify=" + skipVerify + "]";
        }
    }

    @Override
    public String toString() {
        return "CqlSettings[contactPoints=" + contactPoints + ", keyspace=" + keyspace + ", localDatacenter=" + localDatacenter
                + ", consistency=" + consistency + ", connectTimeout=" + connectTimeout + ", queryTimeout=" + queryTimeout
                + ", pageSize=" + pageSize + ", rowLimit=" + rowLimit + ", readOnly=" + readOnly + ", tls=" + tls
                + ", username=" + (username == null ? "none" : "set") + ", password=" + (password == null ? "none" : "set") + "]";
    }
}
