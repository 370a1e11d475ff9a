package io.opencql.grafana.backend;

/** Sends Live packets: JSON (normally a JSON frame), published as-is to the channel's subscribers. */
@FunctionalInterface
public interface StreamSender {
    void send(byte[] json);
}
