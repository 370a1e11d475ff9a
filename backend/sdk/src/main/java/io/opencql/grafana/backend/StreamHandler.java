package io.opencql.grafana.backend;

/**
 * Grafana Live for {@code ds/<uid>/<path>} channels. {@link #runStream} runs once per channel and should
 * return only when the context is cancelled; returning normally tells Grafana the stream is finished, and
 * throwing makes Grafana run it again with back-off.
 */
public interface StreamHandler {

    StreamReply subscribeStream(StreamRequest request) throws Exception;

    default StreamReply publishStream(StreamRequest request) throws Exception {
        return StreamReply.denied();
    }

    void runStream(StreamRequest request, StreamSender sender, RequestContext context) throws Exception;
}
