package io.opencql.grafana.middleware;

import io.opencql.grafana.backend.RequestContext;

/** How a call ended, as metrics count it and logs say it: the {@code status} label's values. */
public enum Outcome {
    OK("ok"), ERROR("error"), CANCELLED("cancelled");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * A call that threw ended in error, unless Grafana had cancelled it (the failure is most likely that
     * cancellation); a unary call that answered after its cancellation served nobody (QueryData answers every
     * refId even then, with 499s). A streaming call ends normally only when it is cancelled, so that is ok.
     */
    static Outcome of(Endpoint endpoint, RequestContext context, boolean threw) {
        if (context.isCancelled() && (threw || !endpoint.streaming())) {
            return CANCELLED;
        }
        return threw ? ERROR : OK;
    }
}
