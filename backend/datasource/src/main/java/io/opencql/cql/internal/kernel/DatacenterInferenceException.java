package io.opencql.cql.internal.kernel;

/**
 * No jsonData.localDatacenter was given and the contact points did not tell which datacenter is local; the
 * message says what was seen and what to set.
 */
public final class DatacenterInferenceException extends IllegalStateException {
    public DatacenterInferenceException(String message) {
        super(message);
    }
}
