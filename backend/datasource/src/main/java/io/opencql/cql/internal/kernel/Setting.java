package io.opencql.cql.internal.kernel;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every data source setting a user types or provisions, where Grafana carries it and its default: the one
 * declaration the parser, the driver configuration and the query path read (none of them defaults again), and that
 * the contract test holds the README's tables and the provisioning example to. A null default means "none"
 * (or, where the README says so, a fallback the parser derives: the top-level url, database or user, Grafana's
 * row limit, the inferred local datacenter).
 */
public enum Setting {
    CONTACT_POINTS("contactPoints", Section.JSON_DATA, "127.0.0.1"),
    PORT("port", Section.JSON_DATA, 9042),
    KEYSPACE("keyspace", Section.JSON_DATA, null),
    LOCAL_DATACENTER("localDatacenter", Section.JSON_DATA, null),
    CONSISTENCY("consistency", Section.JSON_DATA, DefaultConsistencyLevel.LOCAL_ONE),
    CONNECT_TIMEOUT("connectTimeoutSeconds", Section.JSON_DATA, Duration.ofSeconds(5)),
    QUERY_TIMEOUT("queryTimeoutSeconds", Section.JSON_DATA, Duration.ofSeconds(30)),
    PAGE_SIZE("pageSize", Section.JSON_DATA, 5000),
    ROW_LIMIT("rowLimit", Section.JSON_DATA, 1_000_000L),
    // 4: the answer is the same at any value, and 4 concurrent partition reads keep a node's read stages busy while
    // the plugin decodes, without one query taking all of a connection's in-flight requests from the other panels
    PARTITION_READS("partitionReads", Section.JSON_DATA, 4),
    READ_ONLY("readOnly", Section.JSON_DATA, true),
    TLS_ENABLED("tlsEnabled", Section.JSON_DATA, false),
    TLS_SERVER_NAME("tlsServerName", Section.JSON_DATA, null),
    TLS_SKIP_VERIFY("tlsSkipVerify", Section.JSON_DATA, false),
    USERNAME("username", Section.SECURE_JSON_DATA, null),
    PASSWORD("password", Section.SECURE_JSON_DATA, null),
    TLS_CA_CERT("tlsCACert", Section.SECURE_JSON_DATA, null),
    TLS_CLIENT_CERT("tlsClientCert", Section.SECURE_JSON_DATA, null),
    TLS_CLIENT_KEY("tlsClientKey", Section.SECURE_JSON_DATA, null);

    /** Where Grafana carries a setting: plain {@code jsonData}, or encrypted {@code secureJsonData}. */
    public enum Section { JSON_DATA, SECURE_JSON_DATA }

    private final String key;
    private final Section section;
    private final Object defaultValue;

    Setting(String key, Section section, Object defaultValue) {
        this.key = key;
        this.section = section;
        this.defaultValue = defaultValue;
    }

    public String key() {
        return key;
    }

    public Section section() {
        return section;
    }

    /** The default, typed as the setting is ({@code Integer}, {@code Long}, {@code Duration}, ...); null: none. */
    public <T> T defaultValue(Class<T> type) {
        return type.cast(defaultValue);
    }

    /** The default as the README's table writes it ({@code 5} for 5 seconds); null when there is none. */
    public String documentedDefault() {
        if (defaultValue instanceof Duration d) {
            return String.valueOf(d.toSeconds());
        }
        return defaultValue instanceof DefaultConsistencyLevel c ? c.name() : defaultValue == null ? null : defaultValue.toString();
    }

    /** The keys of one section, as Grafana names them. */
    public static Set<String> keys(Section section) {
        return Arrays.stream(values()).filter(s -> s.section == section).map(Setting::key)
                .collect(Collectors.toUnmodifiableSet());
    }
}
