package io.opencql.cql.internal.kernel;

/** A data source setting that cannot be used; the message names the key and what is wrong with it. */
public final class InvalidSettingsException extends Exception {
    private final String key;

    public InvalidSettingsException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The jsonData / secureJsonData key at fault. */
    public String key() {
        return key;
    }
}
