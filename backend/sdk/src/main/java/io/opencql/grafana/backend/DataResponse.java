package io.opencql.grafana.backend;

import io.opencql.grafana.data.Frame;
import java.util.List;

/**
 * The answer to one query: frames, an HTTP-like status (200 on success), and on failure the error text
 * with its source. Frames may accompany an error (partial data). The transport closes the frames after
 * encoding them.
 */
public record DataResponse(List<Frame> frames, int status, String error, ErrorSource errorSource) {

    public DataResponse {
        frames = frames == null ? List.of() : List.copyOf(frames);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status, got " + status);
        }
    }

    public static DataResponse ok(List<Frame> frames) {
        return new DataResponse(frames, 200, null, null);
    }

    public static DataResponse ok(Frame frame) {
        return ok(List.of(frame));
    }

    public static DataResponse error(int status, ErrorSource source, String message) {
        return new DataResponse(List.of(), status, message, source);
    }

    /** Input the user can fix (bad query JSON, unknown macro, CQL syntax): 400, downstream. */
    public static DataResponse badRequest(String message) {
        return error(400, ErrorSource.DOWNSTREAM, message);
    }

    /** A fault of the plugin itself: 500, plugin. */
    public static DataResponse internal(String message) {
        return error(500, ErrorSource.PLUGIN, message);
    }

    public boolean isError() {
        return error != null && !error.isEmpty();
    }

    public void closeFrames() {
        for (Frame f : frames) {
            f.close();
        }
    }
}
