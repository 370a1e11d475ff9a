package io.opencql.grafana.backend;

/** Sends CallResource answers: the first carries status and headers, the rest are body chunks. */
@FunctionalInterface
public interface ResourceSender {
    void send(CallResourceResponse response);
}
