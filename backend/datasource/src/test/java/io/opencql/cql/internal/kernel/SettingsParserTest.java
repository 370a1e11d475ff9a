package io.opencql.cql.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.grafana.backend.DataSourceSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsParserTest {

    private static DataSourceSettings ds(String jsonData, Map<String, String> secure, String url, String user, String database) {
        return new DataSourceSettings(7, "uid-1", "cql", url, user, database, false, null,
                jsonData == null ? null : jsonData.getBytes(StandardCharsets.UTF_8), secure, 1, "");
    }

    private static CqlSettings parse(String jsonData) throws InvalidSettingsException {
        return SettingsParser.parse(ds(jsonData, Map.of(), null, null, null), Map.of());
    }

    private static InvalidSettingsException fails(String jsonData) {
        return assertThrows(InvalidSettingsException.class, () -> parse(jsonData));
    }

    private static CqlSettings.ContactPoint cp(String host, int port) {
        return new CqlSettings.ContactPoint(host, port);
    }

    // --- defaults ---

    @Test
    void emptyJsonDataGivesEveryDefault() throws Exception {
        for (String empty : new String[] {null, "", "{}", "null", "  "}) {
            CqlSettings s = parse(empty);
            assertEquals(List.of(cp("127.0.0.1", 9042)), s.contactPoints(), empty);
            assertNull(s.keyspace());
            assertNull(s.localDatacenter());
            assertEquals("LOCAL_ONE", s.consistency().name());
            assertEquals(Duration.ofSeconds(5), s.connectTimeout());
            assertEquals(Duration.ofSeconds(30), s.queryTimeout());
            assertEquals(5000, s.pageSize());
            assertEquals(1_000_000L, s.rowLimit());
            assertEquals(4, s.partitionReads());
            assertTrue(s.readOnly());
            assertEquals(CqlSettings.Tls.OFF, s.tls());
            assertNull(s.username());
            assertNull(s.password());
        }
    }

    @Test
    void nullAndBlankValuesMeanNotSet() throws Exception {
        CqlSettings s = parse("{\"contactPoints\":\" \",\"port\":\"\",\"keyspace\":null,\"pageSize\":\"\",\"readOnly\":null,"
                + "\"consistency\":\"\",\"localDatacenter\":\"  \",\"tlsServerName\":\"\"}");
        assertEquals(List.of(cp("127.0.0.1", 9042)), s.contactPoints());
        assertEquals(5000, s.pageSize());
        assertTrue(s.readOnly());
        assertEquals("LOCAL_ONE", s.consistency().name());
        assertNull(s.localDatacenter());
        assertNull(s.tls().serverName());
    }

    // --- contact points and port ---

    @Test
    void contactPointsWithAndWithoutPortsAndIpv6() throws Exception {
        CqlSettings s = parse("{\"contactPoints\":\" a.example , b.example:9043,[::1]:9044,[fe80::1],10.0.0.1:1 ,::2\",\"port\":9050}");
        assertEquals(List.of(cp("a.example", 9050), cp("b.example", 9043), cp("::1", 9044), cp("fe80::1", 9050),
                cp("10.0.0.1", 1), cp("::2", 9050)), s.contactPoints());
        assertEquals("[::1]:9044", s.contactPoints().get(2).toString());
    }

    @Test
    void portAppliesToTheDefaultContactPoint() throws Exception {
        assertEquals(List.of(cp("127.0.0.1", 19042)), parse("{\"port\":19042}").contactPoints());
        assertEquals(List.of(cp("127.0.0.1", 19042)), parse("{\"port\":\"19042\"}").contactPoints());
    }

    @Test
    void contactPointsFallBackToTheTopLevelUrlWithOrWithoutScheme() throws Exception {
        assertEquals(List.of(cp("db1", 9042), cp("db2", 9999)),
                SettingsParser.parse(ds("{}", Map.of(), "cql://db1, db2:9999/", null, null), Map.of()).contactPoints());
        assertEquals(List.of(cp("db1", 9042)),
                SettingsParser.parse(ds("{}", Map.of(), "db1", null, null), Map.of()).contactPoints());
        // jsonData wins over url
        assertEquals(List.of(cp("x", 9042)),
                SettingsParser.parse(ds("{\"contactPoints\":\"x\"}", Map.of(), "db1", null, null), Map.of()).contactPoints());
    }

    @Test
    void userInfoInTheUrlIsDroppedAndNeverEchoed() throws Exception {
        assertEquals(List.of(cp("db1", 9042)),
                SettingsParser.parse(ds("{}", Map.of(), "cql://bob:s3cret@db1", null, null), Map.of()).contactPoints());
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> SettingsParser.parse(ds("{}", Map.of(), "cql://bob:s3cret@db1:99999", null, null), Map.of()));
        assertEquals("url", e.key());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().startsWith("url entry \"db1:99999\" has an invalid port"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "host:abc      | jsonData.contactPoints entry \"host:abc\" has an invalid port (must be a number from 1 to 65535)",
        "host:0        | jsonData.contactPoints entry \"host:0\" has an invalid port (must be a number from 1 to 65535)",
        "host:65536    | jsonData.contactPoints entry \"host:65536\" has an invalid port (must be a number from 1 to 65535)",
        "[::1          | jsonData.contactPoints entry \"[::1\" has an unclosed [ (IPv6 addresses go in brackets: [::1]:9042)",
        "[::1]x        | jsonData.contactPoints entry \"[::1]x\" must be host, host:port or [IPv6]:port",
        ":9042         | jsonData.contactPoints entry \":9042\" has no valid host name",
        "'a b:9042'    | jsonData.contactPoints entry \"a b:9042\" has no valid host name",
        "' , ,'        | jsonData.contactPoints must list at least one host, got \", ,\"",
    })
    void badContactPointsNameTheKeyAndTheEntry(String value, String message) {
        InvalidSettingsException e = fails("{\"contactPoints\":\"" + value + "\"}");
        assertEquals("contactPoints", e.key());
        assertEquals(message, e.getMessage());
    }

    @Test
    void contactPointsMustBeAString() {
        InvalidSettingsException e = fails("{\"contactPoints\":[\"a\",\"b\"]}");
        assertEquals("jsonData.contactPoints must be a string, got [\"a\",\"b\"]", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"abc\"  | got \"abc\"",
        "0        | got 0",
        "65536    | got 65536",
        "-1       | got -1",
        "9042.5   | got 9042.5",
        "true     | got true",
        "\"9042x\"| got \"9042x\"",
    })
    void badPort(String value, String got) {
        InvalidSettingsException e = fails("{\"port\":" + value + "}");
        assertEquals("port", e.key());
        assertEquals("jsonData.port must be a number from 1 to 65535, " + got, e.getMessage());
    }

    @Test
    void portAcceptsIntegralDecimalsAndPaddedStrings() throws Exception {
        assertEquals(9043, parse("{\"port\":9043.0}").contactPoints().get(0).port());
        assertEquals(9043, parse("{\"port\":\" 9043 \"}").contactPoints().get(0).port());
        assertEquals(1, parse("{\"port\":1}").contactPoints().get(0).port());
        assertEquals(65535, parse("{\"port\":65535}").contactPoints().get(0).port());
    }

    // --- keyspace ---

    @Test
    void keyspaceFallsBackToDatabase() throws Exception {
        assertEquals("demo", SettingsParser.parse(ds("{}", Map.of(), null, null, "demo"), Map.of()).keyspace());
        assertEquals("ks", SettingsParser.parse(ds("{\"keyspace\":\"ks\"}", Map.of(), null, null, "demo"), Map.of()).keyspace());
        assertNull(SettingsParser.parse(ds("{}", Map.of(), null, null, " "), Map.of()).keyspace());
    }

    @Test
    void keyspaceNamesUnquotedOrQuoted() throws Exception {
        assertEquals("My_Ks1", parse("{\"keyspace\":\" My_Ks1 \"}").keyspace());
        assertEquals("\"My Ks\"", parse("{\"keyspace\":\"\\\"My Ks\\\"\"}").keyspace());
        InvalidSettingsException e = fails("{\"keyspace\":\"my ks\"}");
        assertEquals("keyspace", e.key());
        assertEquals("jsonData.keyspace must be a keyspace name (letters, digits and _, at most 48; or a double-quoted name),"
                + " got \"my ks\"", e.getMessage());
        InvalidSettingsException db = assertThrows(InvalidSettingsException.class,
                () -> SettingsParser.parse(ds("{}", Map.of(), null, null, "a-b"), Map.of()));
        assertEquals("database", db.key());
        assertTrue(db.getMessage().startsWith("database must be a keyspace name"), db.getMessage());
        assertEquals("keyspace", fails("{\"keyspace\":\"" + "k".repeat(49) + "\"}").key());
        assertEquals("jsonData.keyspace must be a string, got 12", fails("{\"keyspace\":12}").getMessage());
    }

    // --- local DC, consistency ---

    @Test
    void localDatacenterIsTrimmed() throws Exception {
        assertEquals("dc1", parse("{\"localDatacenter\":\" dc1 \"}").localDatacenter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_ONE", "LOCAL_QUORUM", "EACH_QUORUM", "SERIAL", "LOCAL_SERIAL"})
    void everyDriverConsistencyLevelAnyCase(String level) throws Exception {
        assertEquals(level, parse("{\"consistency\":\"" + level + "\"}").consistency().name());
        assertEquals(level, parse("{\"consistency\":\"" + level.toLowerCase() + "\"}").consistency().name());
    }

    @Test
    void unknownConsistencyListsTheLevels() {
        InvalidSettingsException e = fails("{\"consistency\":\"local-one\"}");
        assertEquals("consistency", e.key());
        assertEquals("jsonData.consistency must be one of ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM, EACH_QUORUM,"
                + " SERIAL, LOCAL_SERIAL, got \"local-one\"", e.getMessage());
    }

    // --- timeouts, page size, row limit ---

    @Test
    void timeoutsAcceptNumbersStringsAndFractions() throws Exception {
        CqlSettings s = parse("{\"connectTimeoutSeconds\":\"2\",\"queryTimeoutSeconds\":0.5}");
        assertEquals(Duration.ofSeconds(2), s.connectTimeout());
        assertEquals(Duration.ofMillis(500), s.queryTimeout());
        assertEquals(Duration.ofSeconds(86_400), parse("{\"queryTimeoutSeconds\":86400}").queryTimeout());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "connectTimeoutSeconds | 0        | got 0",
        "connectTimeoutSeconds | -3       | got -3",
        "connectTimeoutSeconds | \"x\"    | got \"x\"",
        "queryTimeoutSeconds   | 86401    | got 86401",
        "queryTimeoutSeconds   | 0.0001   | got 0.0001",
        "queryTimeoutSeconds   | false    | got false",
    })
    void badTimeouts(String key, String value, String got) {
        InvalidSettingsException e = fails("{\"" + key + "\":" + value + "}");
        assertEquals(key, e.key());
        assertEquals("jsonData." + key + " must be a number of seconds greater than 0 and at most 86400, " + got, e.getMessage());
    }

    @Test
    void partitionReads() throws Exception {
        assertEquals(0, parse("{\"partitionReads\":0}").partitionReads());
        assertEquals(64, parse("{\"partitionReads\":\"64\"}").partitionReads());
        InvalidSettingsException e = fails("{\"partitionReads\":65}");
        assertEquals("partitionReads", e.key());
        assertEquals("jsonData.partitionReads must be a whole number from 0 to 64, got 65", e.getMessage());
        assertEquals("jsonData.partitionReads must be a whole number from 0 to 64, got -1", fails("{\"partitionReads\":-1}").getMessage());
    }

    @Test
    void pageSize() throws Exception {
        assertEquals(100, parse("{\"pageSize\":100}").pageSize());
        assertEquals(100, parse("{\"pageSize\":\"100\"}").pageSize());
        InvalidSettingsException e = fails("{\"pageSize\":0}");
        assertEquals("pageSize", e.key());
        assertEquals("jsonData.pageSize must be a whole number of at least 1, got 0", e.getMessage());
        assertEquals("jsonData.pageSize must be a whole number of at least 1, got 2147483648", fails("{\"pageSize\":2147483648}").getMessage());
        assertEquals("jsonData.pageSize must be a whole number of at least 1, got 1.5", fails("{\"pageSize\":1.5}").getMessage());
    }

    @Test
    void rowLimitFromJsonDataThenGrafanaThenDefault() throws Exception {
        Map<String, String> grafana = Map.of("GF_SQL_ROW_LIMIT", "2000");
        assertEquals(10L, SettingsParser.parse(ds("{\"rowLimit\":10}", Map.of(), null, null, null), grafana).rowLimit());
        assertEquals(10L, SettingsParser.parse(ds("{\"rowLimit\":\"10\"}", Map.of(), null, null, null), grafana).rowLimit());
        assertEquals(2000L, SettingsParser.parse(ds("{}", Map.of(), null, null, null), grafana).rowLimit());
        assertEquals(2000L, SettingsParser.parse(ds("{\"rowLimit\":\"\"}", Map.of(), null, null, null), grafana).rowLimit());
        assertEquals(1_000_000L, SettingsParser.parse(ds("{}", Map.of(), null, null, null), Map.of("GF_SQL_ROW_LIMIT", "-1")).rowLimit());
        assertEquals(1_000_000L, SettingsParser.parse(ds("{}", Map.of(), null, null, null), Map.of("GF_SQL_ROW_LIMIT", "lots")).rowLimit());
        assertEquals(5_000_000_000L, parse("{\"rowLimit\":5000000000}").rowLimit());
        InvalidSettingsException e = fails("{\"rowLimit\":0}");
        assertEquals("rowLimit", e.key());
        assertEquals("jsonData.rowLimit must be a whole number of at least 1, got 0", e.getMessage());
    }

    // --- booleans and TLS ---

    @Test
    void booleansAcceptJsonAndStrings() throws Exception {
        assertFalse(parse("{\"readOnly\":false}").readOnly());
        assertFalse(parse("{\"readOnly\":\"FALSE\"}").readOnly());
        assertTrue(parse("{\"readOnly\":\"true\"}").readOnly());
        CqlSettings s = parse("{\"tlsEnabled\":\"true\",\"tlsSkipVerify\":true,\"tlsServerName\":\"node.example\"}");
        assertTrue(s.tls().enabled());
        assertTrue(s.tls().skipVerify());
        assertEquals("node.example", s.tls().serverName());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "readOnly      | \"yes\" | got \"yes\"",
        "tlsEnabled    | 1       | got 1",
        "tlsSkipVerify | {}      | got {}",
    })
    void badBooleans(String key, String value, String got) {
        InvalidSettingsException e = fails("{\"" + key + "\":" + value + "}");
        assertEquals(key, e.key());
        assertEquals("jsonData." + key + " must be true or false, " + got, e.getMessage());
    }

    @Test
    void tlsMaterialComesFromSecureJsonData() throws Exception {
        Map<String, String> secure = Map.of("tlsCACert", "CA PEM", "tlsClientCert", "CERT PEM", "tlsClientKey", "KEY PEM");
        CqlSettings s = SettingsParser.parse(ds("{\"tlsEnabled\":true}", secure, null, null, null), Map.of());
        assertEquals("CA PEM", s.tls().caCert());
        assertEquals("CERT PEM", s.tls().clientCert());
        assertEquals("KEY PEM", s.tls().clientKey());
        assertFalse(s.toString().contains("PEM"), s.toString());
    }

    @Test
    void clientCertWithoutKeyAndKeyWithoutCert() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> SettingsParser.parse(
                ds("{\"tlsEnabled\":true}", Map.of("tlsClientCert", "CERT"), null, null, null), Map.of()));
        assertEquals("tlsClientKey", e.key());
        assertEquals("secureJsonData.tlsClientKey is required when secureJsonData.tlsClientCert is set (mutual TLS needs both the"
                + " client certificate and its key)", e.getMessage());
        InvalidSettingsException k = assertThrows(InvalidSettingsException.class, () -> SettingsParser.parse(
                ds("{\"tlsEnabled\":true}", Map.of("tlsClientKey", "SECRET-KEY"), null, null, null), Map.of()));
        assertEquals("tlsClientCert", k.key());
        assertFalse(k.getMessage().contains("SECRET-KEY"));
    }

    // --- credentials ---

    @Test
    void secureUsernameWinsOverTopLevelUserAndPasswordIsSecureOnly() throws Exception {
        CqlSettings s = SettingsParser.parse(ds("{\"password\":\"not-here\"}", Map.of("username", "alice", "password", "pw"),
                null, "bob", null), Map.of());
        assertEquals("alice", s.username());
        assertEquals("pw", s.password());
        CqlSettings fallback = SettingsParser.parse(ds("{}", Map.of("username", " ", "password", "pw"), null, "bob", null), Map.of());
        assertEquals("bob", fallback.username());
        CqlSettings none = SettingsParser.parse(ds("{\"password\":\"not-here\"}", Map.of(), null, null, null), Map.of());
        assertNull(none.username());
        assertNull(none.password());
        assertFalse(s.toString().contains("pw"), s.toString());
        assertTrue(s.toString().contains("password=set"), s.toString());
    }

    // --- the JSON itself ---

    @Test
    void malformedJsonDataSaysWhere() {
        InvalidSettingsException e = fails("{\"port\": 9042,,}");
        assertEquals("jsonData", e.key());
        assertTrue(e.getMessage().startsWith("jsonData is not valid JSON (line 1, column "), e.getMessage());
        InvalidSettingsException array = fails("[1,2]");
        assertEquals("jsonData must be a JSON object, got a JSON array", array.getMessage());
    }

    @Test
    void unknownKeysAreIgnored() throws Exception {
        Map<String, String> secure = new HashMap<>(Map.of("somethingElse", "x"));
        CqlSettings s = SettingsParser.parse(ds("{\"tlsAuth\":true,\"whatever\":{\"a\":1}}", secure, null, null, null), Map.of());
        assertEquals(Setting.PAGE_SIZE.defaultValue(Integer.class), s.pageSize());
    }

    @Test
    void noDataSourceAtAll() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> SettingsParser.parse(null, Map.of()));
        assertEquals("the request carries no data source settings", e.getMessage());
    }

    @Test
    void longValuesAreAbbreviatedInMessages() {
        String longValue = "x".repeat(500);
        InvalidSettingsException e = fails("{\"consistency\":\"" + longValue + "\"}");
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        assertTrue(e.getMessage().endsWith("...\""), e.getMessage());
    }
}
