package io.opencql.cql.internal.kernel;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.time.Duration;
import java.util.List;

/**
 * A data source's parsed settings (README "Configuration" is the contract; every key documented there maps
 * to a component here), typed and validated once by {@link SettingsParser}; the defaults are declared in
 * {@link Setting}. Secrets are held as given and never appear in {@link #toString()}.
 */
public record CqlSettings(
        List<ContactPoint> contactPoints,
        String keyspace,
        String localDatacenter,
        DefaultConsistencyLevel consistency,
        Duration connectTimeout,
        Duration queryTimeout,
        int pageSize,
        long rowLimit,
        boolean readOnly,
        Tls tls,
        String username,
        String password,
        int partitionReads) {

    /** Settings with {@link Setting#PARTITION_READS}'s default. */
    public CqlSettings(List<ContactPoint> contactPoints, String keyspace, String localDatacenter, DefaultConsistencyLevel consistency,
                       Duration connectTimeout, Duration queryTimeout, int pageSize, long rowLimit, boolean readOnly, Tls tls,
                       String username, String password) {
        this(contactPoints, keyspace, localDatacenter, consistency, connectTimeout, queryTimeout, pageSize, rowLimit, readOnly, tls,
                username, password, Setting.PARTITION_READS.defaultValue(Integer.class));
    }

    /** A copy with setting {@code partitionReads} at {@code n}. */
    public CqlSettings withPartitionReads(int n) {
        return new CqlSettings(contactPoints, keyspace, localDatacenter, consistency, connectTimeout, queryTimeout, pageSize, rowLimit,
                readOnly, tls, username, password, n);
    }

    /** What every reader may rely on: no reader defaults or re-validates these again. */
    public CqlSettings {
        contactPoints = List.copyOf(contactPoints);
        if (consistency == null || tls == null) {
            throw new IllegalArgumentException("consistency and tls are required");
        }
        if (connectTimeout == null || connectTimeout.isZero() || connectTimeout.isNegative()
                || queryTimeout == null || queryTimeout.isZero() || queryTimeout.isNegative() || pageSize < 1 || partitionReads < 0) {
            throw new IllegalArgumentException("timeouts and the page size must be positive, partitionReads not negative");
        }
    }

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
                + ", pageSize=" + pageSize + ", rowLimit=" + rowLimit + ", partitionReads=" + partitionReads + ", readOnly=" + readOnly + ", tls=" + tls
                + ", username=" + (username == null ? "none" : "set") + ", password=" + (password == null ? "none" : "set") + "]";
    }
}
