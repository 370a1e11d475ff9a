package io.opencql.grafana.middleware;

import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.ResourceSender;

/**
 * A resource call's sender that remembers whether anything was sent: Grafana takes the status from the first
 * message only, so an error status can still be answered before it and never after.
 */
final class FirstAnswer implements ResourceSender {

    private final ResourceSender sender;
    private boolean sent;

    FirstAnswer(ResourceSender sender) {
        this.sender = sender;
    }

    @Override
    public synchronized void send(CallResourceResponse response) {
        sender.send(response);
        sent = true;
    }

    /** Sends {@code response} if nothing was sent yet; false if something already was. */
    synchronized boolean sendIfNone(CallResourceResponse response) {
        if (sent) {
            return false;
        }
        send(response);
        return true;
    }
}
