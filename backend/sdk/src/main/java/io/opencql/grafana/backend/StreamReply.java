package io.opencql.grafana.backend;

/** Answer to SubscribeStream / PublishStream; {@code data} optional JSON (e.g. an initial frame). */
public record StreamReply(Status status, byte[] data) {

    public enum Status { OK, NOT_FOUND, PERMISSION_DENIED }

    public StreamReply {
        data = data == null ? new byte[0] : data;
    }

    public static StreamReply ok(byte[] data) {
        return new StreamReply(Status.OK, data);
    }

    public static StreamReply notFound() {
        return new StreamReply(Status.NOT_FOUND, null);
    }

    public static StreamReply denied() {
        return new StreamReply(Status.PERMISSION_DENIED, null);
    }
}
