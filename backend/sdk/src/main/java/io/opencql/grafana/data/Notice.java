package io.opencql.grafana.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/** A message shown with a frame (FrameMeta.notices). {@code inspect}: 0 none, 1 meta, 2 error, 3 data, 4 stats. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notice(Severity severity, String text, String link, Integer inspect) {

    public enum Severity {
        INFO, WARNING, ERROR;

        @JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Notice info(String text) {
        return new Notice(Severity.INFO, text, null, null);
    }

    public static Notice warning(String text) {
        return new Notice(Severity.WARNING, text, null, null);
    }
}
