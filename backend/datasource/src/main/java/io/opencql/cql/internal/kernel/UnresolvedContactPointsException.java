package io.opencql.cql.internal.kernel;

import java.util.List;

/** No contact point resolves to an address (DNS), so the driver was never started. */
public final class UnresolvedContactPointsException extends RuntimeException {
    private final List<String> contactPoints;

    public UnresolvedContactPointsException(List<String> contactPoints) {
        super("no contact point resolves to an address: " + String.join(", ", contactPoints) + " (unknown host)");
        this.contactPoints = List.copyOf(contactPoints);
    }

    public List<String> contactPoints() {
        return contactPoints;
    }
}
