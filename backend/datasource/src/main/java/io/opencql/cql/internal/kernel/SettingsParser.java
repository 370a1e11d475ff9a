package io.opencql.cql.internal.kernel;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.opencql.grafana.backend.DataSourceSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what Grafana sends ({@code jsonData}, {@code secureJsonData}, the top-level {@code user},
 * {@code database} and {@code url}) into {@link CqlSettings}, exactly as the README "Configuration" table
 * documents. Numbers and booleans may come as JSON strings (provisioning YAML often quotes them); a blank
 * value means "not set". Every error names its key; no error or log line ever holds a secret value.
 */
public final class SettingsParser {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsParser.class);
    /** Decimals stay as written ("0.0001", not 1.0E-4) in values and in messages. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Grafana's {@code [sql] row_limit}, as it reaches plugins in {@code PluginContext.grafanaConfig}. */
    public static final String GRAFANA_ROW_LIMIT = "GF_SQL_ROW_LIMIT";

    public static final Set<String> JSON_KEYS = Setting.keys(Setting.Section.JSON_DATA);
    public static final Set<String> SECURE_KEYS = Setting.keys(Setting.Section.SECURE_JSON_DATA);

    private static final double MAX_TIMEOUT_SECONDS = 86_400;
    private static final Pattern UNQUOTED_NAME = Pattern.compile("[A-Za-z0-9_]{1,48}");
    private static final Pattern QUOTED_NAME = Pattern.compile("\"(?:[^\"]|\"\")+\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private SettingsParser() {
    }

    /** Parses a data source's settings; {@code grafanaConfig} supplies Grafana's SQL row limit default. */
    public static CqlSettings parse(DataSourceSettings ds, Map<String, String> grafanaConfig) throws InvalidSettingsException {
        if (ds == null) {
            throw new InvalidSettingsException("", "the request carries no data source settings");
        }
        JsonNode json = readJsonData(ds.jsonData());
        Map<String, String> secure = ds.decryptedSecureJsonData();
        logUnknownKeys(json, secure);

        int port = (int) integer(json, "port", 1, 65535, Setting.PORT.defaultValue(Integer.class));
        List<CqlSettings.ContactPoint> contactPoints = contactPoints(json, ds.url(), port);

        String keyspace = string(json, "keyspace");
        String keyspaceKey = "keyspace";
        if (keyspace == null) {
            keyspace = blankToNull(ds.database());
            keyspaceKey = "database";
        }
        if (keyspace != null && !UNQUOTED_NAME.matcher(keyspace).matches() && !QUOTED_NAME.matcher(keyspace).matches()) {
            throw new InvalidSettingsException(keyspaceKey, qualified(keyspaceKey) + " must be a keyspace name (letters, digits"
                    + " and _, at most 48; or a double-quoted name), got " + shown(keyspace));
        }

        DefaultConsistencyLevel consistency = consistency(json);
        Duration connectTimeout = seconds(json, "connectTimeoutSeconds", Setting.CONNECT_TIMEOUT.defaultValue(Duration.class));
        Duration queryTimeout = seconds(json, "queryTimeoutSeconds", Setting.QUERY_TIMEOUT.defaultValue(Duration.class));
        int pageSize = (int) integer(json, "pageSize", 1, Integer.MAX_VALUE, Setting.PAGE_SIZE.defaultValue(Integer.class));
        long rowLimit = integer(json, "rowLimit", 1, Long.MAX_VALUE, grafanaRowLimit(grafanaConfig));
        boolean readOnly = bool(json, "readOnly", Setting.READ_ONLY.defaultValue(Boolean.class));
        // 64: far past what a node's read stages serve at once; more would only take connection slots from other panels
        int partitionReads = (int) integer(json, "partitionReads", 0, 64, Setting.PARTITION_READS.defaultValue(Integer.class));

        CqlSettings.Tls tls = new CqlSettings.Tls(
                bool(json, "tlsEnabled", Setting.TLS_ENABLED.defaultValue(Boolean.class)),
                secret(secure, "tlsCACert"),
                secret(secure, "tlsClientCert"),
                secret(secure, "tlsClientKey"),
                string(json, "tlsServerName"),
                bool(json, "tlsSkipVerify", Setting.TLS_SKIP_VERIFY.defaultValue(Boolean.class)));
        if (tls.enabled() && (tls.clientCert() == null) != (tls.clientKey() == null)) {
            String missing = tls.clientCert() == null ? "tlsClientCert" : "tlsClientKey";
            String given = tls.clientCert() == null ? "tlsClientKey" : "tlsClientCert";
            throw new InvalidSettingsException(missing, "secureJsonData." + missing + " is required when secureJsonData."
                    + given + " is set (mutual TLS needs both the client certificate and its key)");
        }

        String username = secret(secure, "username");
        if (username == null) {
            username = blankToNull(ds.user());
        }
        String password = secret(secure, "password");

        return new CqlSettings(List.copyOf(contactPoints), keyspace, string(json, "localDatacenter"), consistency,
                connectTimeout, queryTimeout, pageSize, rowLimit, readOnly, tls, username, password, partitionReads);
    }

    private static JsonNode readJsonData(byte[] bytes) throws InvalidSettingsException {
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new InvalidSettingsException("jsonData", "jsonData is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new InvalidSettingsException("jsonData", "jsonData could not be read: " + e.getMessage());
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw new InvalidSettingsException("jsonData", "jsonData must be a JSON object, got a JSON " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }

    private static void logUnknownKeys(JsonNode json, Map<String, String> secure) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!JSON_KEYS.contains(k)) {
                unknown.add("jsonData." + k);
            }
        }
        for (String k : secure.keySet()) {
            if (!SECURE_KEYS.contains(k)) {
                unknown.add("secureJsonData." + k); // the key only, never its value
            }
        }
        if (!unknown.isEmpty()) {
            LOG.debug("ignoring unknown data source settings {}", unknown);
        }
    }

    // --- contact points ---------------------------------------------------------------------------------------

    private static List<CqlSettings.ContactPoint> contactPoints(JsonNode json, String url, int defaultPort) throws InvalidSettingsException {
        String text = string(json, "contactPoints");
        String key = "contactPoints";
        if (text == null) {
            text = blankToNull(url);
            key = "url";
        }
        if (text == null) {
            return List.of(new CqlSettings.ContactPoint(Setting.CONTACT_POINTS.defaultValue(String.class), defaultPort));
        }
        List<CqlSettings.ContactPoint> points = new ArrayList<>();
        for (String raw : text.split(",")) {
            String entry = raw.trim();
            if (!entry.isEmpty()) {
                points.add(contactPoint(entry, key, defaultPort));
            }
        }
        if (points.isEmpty()) {
            throw new InvalidSettingsException(key, qualified(key) + " must list at least one host, got " + shown(text));
        }
        return points;
    }

    private static CqlSettings.ContactPoint contactPoint(String entry, String key, int defaultPort) throws InvalidSettingsException {
        String s = SCHEME.matcher(entry).replaceFirst("");
        int at = s.lastIndexOf('@');
        boolean hadUserInfo = at >= 0;
        if (hadUserInfo) {
            s = s.substring(at + 1); // user:password@ in a URL: drop it, and never echo it below
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash); // a trailing path ("cql://host:9042/") means nothing here
        }
        String shownEntry = hadUserInfo ? shown(s) : shown(entry);
        String host;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new InvalidSettingsException(key, qualified(key) + " entry " + shownEntry + " has an unclosed [ (IPv6 addresses go in brackets: [::1]:9042)");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new InvalidSettingsException(key, qualified(key) + " entry " + shownEntry + " must be host, host:port or [IPv6]:port");
                }
                portText = rest.substring(1);
            }
        } else {
            int first = s.indexOf(':');
            if (first >= 0 && first == s.lastIndexOf(':')) {
                host = s.substring(0, first);
                portText = s.substring(first + 1);
            } else {
                host = s; // no colon, or a bare IPv6 address (several colons) without a port
            }
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '[' || c == ']')) {
            throw new InvalidSettingsException(key, qualified(key) + " entry " + shownEntry + " has no valid host name");
        }
        int port = defaultPort;
        if (portText != null) {
            if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
                throw new InvalidSettingsException(key, qualified(key) + " entry " + shownEntry
                        + " has an invalid port (must be a number from 1 to 65535)");
            }
            port = Integer.parseInt(portText);
        }
        return new CqlSettings.ContactPoint(host, port);
    }

    // --- typed values -------------------------------------------------------------------------------------------

    private static DefaultConsistencyLevel consistency(JsonNode json) throws InvalidSettingsException {
        String text = string(json, "consistency");
        if (text == null) {
            return Setting.CONSISTENCY.defaultValue(DefaultConsistencyLevel.class);
        }
        String upper = text.toUpperCase(java.util.Locale.ROOT);
        for (DefaultConsistencyLevel level : DefaultConsistencyLevel.values()) {
            if (level.name().equals(upper)) {
                return level;
            }
        }
        throw new InvalidSettingsException("consistency", "jsonData.consistency must be one of "
                + Arrays.stream(DefaultConsistencyLevel.values()).map(Enum::name).collect(Collectors.joining(", "))
                + ", got " + shown(text));
    }

    /** A string value, trimmed; null when absent, JSON null or blank. */
    static String string(JsonNode json, String key) throws InvalidSettingsException {
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidSettingsException(key, "jsonData." + key + " must be a string, got " + shown(v));
        }
        return blankToNull(v.asText());
    }

    static long integer(JsonNode json, String key, long min, long max, long fallback) throws InvalidSettingsException {
        JsonNode v = json.get(key);
        if (absent(v)) {
            return fallback;
        }
        String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? " of at least " + min : " from " + min + " to " + max;
        String problem = "jsonData." + key + " must be a " + (key.equals("port") ? "number" : "whole number") + range
                + ", got " + shown(v);
        BigDecimal n = number(v);
        if (n == null) {
            throw new InvalidSettingsException(key, problem);
        }
        try {
            long l = n.stripTrailingZeros().longValueExact();
            if (l < min || l > max) {
                throw new InvalidSettingsException(key, problem);
            }
            return l;
        } catch (ArithmeticException e) {
            throw new InvalidSettingsException(key, problem);
        }
    }

    static Duration seconds(JsonNode json, String key, Duration fallback) throws InvalidSettingsException {
        JsonNode v = json.get(key);
        if (absent(v)) {
            return fallback;
        }
        BigDecimal n = number(v);
        if (n == null || n.signum() <= 0 || n.compareTo(BigDecimal.valueOf(MAX_TIMEOUT_SECONDS)) > 0
                || n.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).signum() == 0) {
            throw new InvalidSettingsException(key, "jsonData." + key + " must be a number of seconds greater than 0 and at most "
                    + (long) MAX_TIMEOUT_SECONDS + ", got " + shown(v));
        }
        return Duration.ofMillis(n.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }

    static boolean bool(JsonNode json, String key, boolean fallback) throws InvalidSettingsException {
        JsonNode v = json.get(key);
        if (absent(v)) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            String t = v.asText().trim();
            if (t.equalsIgnoreCase("true")) {
                return true;
            }
            if (t.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw new InvalidSettingsException(key, "jsonData." + key + " must be true or false, got " + shown(v));
    }

    /** A JSON number, or a string holding one ("30", " 9042 "); null otherwise. */
    private static BigDecimal number(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            String t = v.asText().trim();
            if (INTEGER.matcher(t).matches() || t.matches("[+-]?(\\d+\\.\\d*|\\.\\d+)")) {
                return new BigDecimal(t);
            }
        }
        return null;
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || (v.isTextual() && v.asText().isBlank());
    }

    private static long grafanaRowLimit(Map<String, String> grafanaConfig) {
        String v = grafanaConfig == null ? null : grafanaConfig.get(GRAFANA_ROW_LIMIT);
        if (v != null && INTEGER.matcher(v.trim()).matches()) {
            try {
                long l = Long.parseLong(v.trim());
                if (l > 0) {
                    return l;
                }
            } catch (NumberFormatException e) {
                // out of range: use our default like any other unusable value
            }
        }
        if (v != null && !v.isBlank()) {
            LOG.debug("ignoring Grafana's {}={} (not a positive whole number)", GRAFANA_ROW_LIMIT, v);
        }
        return Setting.ROW_LIMIT.defaultValue(Long.class);
    }

    private static String secret(Map<String, String> secure, String key) {
        return blankToNull(secure.get(key)) == null ? null : secure.get(key);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String qualified(String key) {
        return switch (key) {
            case "url", "database", "user" -> key;
            default -> "jsonData." + key;
        };
    }

    private static String shown(JsonNode v) {
        return v.getNodeType() == JsonNodeType.STRING ? shown(v.asText()) : abbreviate(v.toString());
    }

    private static String shown(String s) {
        try {
            return JSON.writeValueAsString(abbreviate(s));
        } catch (JsonProcessingException e) {
            return "\"" + abbreviate(s) + "\"";
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
