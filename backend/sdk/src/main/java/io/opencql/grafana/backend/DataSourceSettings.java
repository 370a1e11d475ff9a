package io.opencql.grafana.backend;

import java.util.Map;

/**
 * A data source's settings as Grafana sends them. {@code jsonData} is the raw JSON object; secrets are in
 * {@code decryptedSecureJsonData} and must never be logged or echoed ({@link #toString()} hides them).
 */
public record DataSourceSettings(
        long id,
        String uid,
        String name,
        String url,
        String user,
        String database,
        boolean basicAuthEnabled,
        String basicAuthUser,
        byte[] jsonData,
        Map<String, String> decryptedSecureJsonData,
        long lastUpdatedMs,
        String apiVersion) {

    public DataSourceSettings {
        jsonData = jsonData == null ? new byte[0] : jsonData;
        decryptedSecureJsonData = decryptedSecureJsonData == null ? Map.of() : Map.copyOf(decryptedSecureJsonData);
    }

    @Override
    public String toString() {
        return "DataSourceSettings[uid=" + uid + ", name=" + name + ", lastUpdatedMs=" + lastUpdatedMs
                + ", secureKeys=" + decryptedSecureJsonData.keySet() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSourceSettings s && id == s.id && lastUpdatedMs == s.lastUpdatedMs
                && java.util.Objects.equals(uid, s.uid) && java.util.Arrays.equals(jsonData, s.jsonData)
                && decryptedSecureJsonData.equals(s.decryptedSecureJsonData);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, uid, lastUpdatedMs);
    }
}
