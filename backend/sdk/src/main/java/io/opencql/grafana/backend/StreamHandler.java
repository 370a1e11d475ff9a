package io.opencql.grafana.backend;

/**
 * Grafana Live for {@code ds/<uid>/<path>} channels. {@link #runStream} runs once per channel and should
 * return only when the context is cancelled; returning normally tells Grafana the stream is finished, and
 * throwing makes Grafana run it again with back-off.
 *
 * <p>The transport calls the forms that take the call's {@link RequestContext}, as for every other handler, so
 * that middleware sees each call's cancellation; a data source that has no use for it implements the short forms.
 */
public interface StreamHandler {

    StreamReply subscribeStream(StreamRequest request) throws Exception;

    default StreamReply subscribeStream(StreamRequest request, RequestContext context) throws Exception {
        return subscribeStream(request);
    }

    default StreamReply publishStream(StreamRequest request) throws Exception {
        return StreamReply.denied();
    }

    default StreamReply publishStream(StreamRequest request, RequestContext context) throws Exception {
        return publishStream(request);
    }

    void runStream(StreamRequest request, StreamSender sender, RequestContext context) throws Exception;
}
