package io.opencql.grafana.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Grafana's FrameMeta with its exact JSON keys: {@code typeVersion} is always a two-element array and the
 * visualisation key has Grafana's British spelling.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FrameMeta(
        String type,
        @JsonInclude(JsonInclude.Include.ALWAYS) int[] typeVersion,
        String path,
        String pathSeparator,
        JsonNode custom,
        List<Notice> notices,
        String channel,
        String preferredVisualisationType,
        String executedQueryString,
        String dataTopic) {

    public static final String TIMESERIES_WIDE = "timeseries-wide";
    public static final String TABLE = "table";

    public FrameMeta {
        typeVersion = typeVersion == null ? new int[] {0, 0} : typeVersion.clone();
        if (typeVersion.length != 2) {
            throw new IllegalArgumentException("typeVersion must have two elements");
        }
        notices = notices == null ? List.of() : List.copyOf(notices);
    }

    public static FrameMeta empty() {
        return new FrameMeta(null, null, null, null, null, null, null, null, null, null);
    }

    public FrameMeta withType(String t, int major, int minor) {
        return new FrameMeta(t, new int[] {major, minor}, path, pathSeparator, custom, notices, channel, preferredVisualisationType, executedQueryString, dataTopic);
    }

    public FrameMeta withExecutedQueryString(String q) {
        return new FrameMeta(type, typeVersion, path, pathSeparator, custom, notices, channel, preferredVisualisationType, q, dataTopic);
    }

    public FrameMeta withPreferredVisualisation(String v) {
        return new FrameMeta(type, typeVersion, path, pathSeparator, custom, notices, channel, v, executedQueryString, dataTopic);
    }

    public FrameMeta withChannel(String c) {
        return new FrameMeta(type, typeVersion, path, pathSeparator, custom, notices, c, preferredVisualisationType, executedQueryString, dataTopic);
    }

    public FrameMeta withCustom(JsonNode c) {
        return new FrameMeta(type, typeVersion, path, pathSeparator, c, notices, channel, preferredVisualisationType, executedQueryString, dataTopic);
    }

    public FrameMeta withNotice(Notice n) {
        List<Notice> all = new ArrayList<>(notices);
        all.add(n);
        return new FrameMeta(type, typeVersion, path, pathSeparator, custom, all, channel, preferredVisualisationType, executedQueryString, dataTopic);
    }

    /** The same meta with {@code all} as its notices, in that order. */
    public FrameMeta withNotices(List<Notice> all) {
        return new FrameMeta(type, typeVersion, path, pathSeparator, custom, all, channel, preferredVisualisationType, executedQueryString, dataTopic);
    }

        /** True when the frame declares the dataplane contract (a type and a non-zero version). */
    @JsonIgnore // an is-getter: Jackson would otherwise write a "dataplane" key Grafana does not define
    public boolean isDataplane() {
        return type != null && !type.isEmpty() && (typeVersion[0] != 0 || typeVersion[1] != 0);
    }
}
