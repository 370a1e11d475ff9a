package io.opencql.cql.internal.failure;

import java.util.Locale;

/**
 * An authorisation failure that is really an availability failure. With authentication on, the node checks a login's
 * roles and permissions by reading {@code system_auth}; for a superuser it reads at QUORUM, so with too few replicas
 * up every request is refused as "Unable to perform authorization of super-user permission: Cannot achieve
 * consistency level LOCAL_QUORUM" whatever the query's own consistency. Granting permissions would not help; bringing
 * nodes back (or raising {@code system_auth}'s replication) would.
 */
final class AuthAvailability {

    private AuthAvailability() {
    }

    public static boolean isAvailabilityFailure(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("cannot achieve consistency level") || m.contains("unable to perform authorization")
                || m.contains("unable to perform authentication") || m.contains("operation timed out");
    }

    public static String message(Throwable t) {
        return "the cluster could not check this user's permissions: too few replicas of its system_auth keyspace are up to"
                + " read them (not a missing permission; bring the nodes back, and give system_auth a replication factor that"
                + " survives the loss of a node): " + t.getMessage();
    }
}
