package io.opencql.grafana.backend;

/**
 * Cancellation of the call being served: Grafana cancels when the user navigates away, an alert evaluation
 * times out or a Live channel loses its subscribers. Long work polls {@link #isCancelled()} or registers a
 * listener.
 */
public interface RequestContext {

    boolean isCancelled();

    /** Runs {@code listener} once when the call is cancelled (at once if it already is). */
    void onCancel(Runnable listener);

    /** A context that is never cancelled (tests, background work). */
    RequestContext NONE = new RequestContext() {
        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable listener) {
        }
    };
}
